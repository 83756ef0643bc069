from django.conf import settings


def portal(request):
    return {
        "PROVINCE_NAME": settings.PROVINCE_NAME,
        "EMR_DEADLINE": settings.EMR_DEADLINE,
        "PAPERLESS_FROM": settings.PAPERLESS_FROM,
    }
