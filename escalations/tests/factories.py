import datetime

import factory

from escalations.models import EscalationItem, EscalationState


class EscalationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationItem

    facility = factory.SubFactory("facilities.tests.factories.FacilityFactory")
    raised_on = datetime.date(2026, 10, 5)
    difficulty = "Chưa có kinh phí mua chữ ký số cho bác sĩ; vượt thẩm quyền của trạm."
    support_requested = "Đề nghị Sở Tài chính bố trí kinh phí."
    state = EscalationState.OPEN
