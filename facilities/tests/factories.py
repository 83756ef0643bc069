import factory

from facilities.models import (
    Agency,
    AgencyKind,
    AgencyMembership,
    Area,
    AreaKind,
    Facility,
    FacilityType,
    MemberRole,
    Membership,
    Ownership,
)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{29000 + n}")
    name = factory.Sequence(lambda n: f"Xã Bình Thành {n}")
    kind = AreaKind.COMMUNE


def facility_type(code: str) -> FacilityType:
    """The types come from a data migration; factories pick one by code."""
    return FacilityType.objects.get(code=code)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{70000 + n}")
    name = factory.Sequence(lambda n: f"Trạm Y tế xã Số {n}")
    type = factory.LazyFunction(lambda: facility_type("health_station"))
    ownership = Ownership.PUBLIC
    area = factory.SubFactory(AreaFactory)
    address = "Ấp 1"
    beds = 10
    head_name = "Đặng Hữu Phúc"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    facility = factory.SubFactory(FacilityFactory)
    role = MemberRole.STAFF


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = "Bảo hiểm xã hội tỉnh Đồng Tháp"
    kind = AgencyKind.SOCIAL_INSURANCE

    class Params:
        commune = factory.Trait(
            kind=AgencyKind.COMMUNE,
            name=factory.LazyAttribute(lambda o: f"UBND {o.area.name}"),
            area=factory.SubFactory(AreaFactory),
        )


class AgencyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyMembership

    user = factory.SubFactory("accounts.tests.factories.UserFactory", role="agency")
    agency = factory.SubFactory(AgencyFactory)
