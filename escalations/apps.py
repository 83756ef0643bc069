from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "escalations"
    verbose_name = _("Escalation register")

    def ready(self):
        from core.workflow import approved

        from .services import open_after_approval

        approved.connect(open_after_approval, dispatch_uid="escalations.open_after_approval")
