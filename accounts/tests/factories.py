import factory

from accounts.models import Role, User

PASSWORD = "mat-khau-thu-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"Người {n}")
    role = Role.FACILITY
    password = factory.django.Password(PASSWORD)

    class Params:
        officer = factory.Trait(username=factory.Sequence(lambda n: f"officer{n}"), role=Role.OFFICER)
        leadership = factory.Trait(username=factory.Sequence(lambda n: f"leader{n}"), role=Role.LEADERSHIP)
