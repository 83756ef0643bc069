"""Report text stored decomposed (NFD) is rewritten in NFC by a data migration, and so are escalations."""

import unicodedata
from importlib import import_module

from django.apps import apps

from escalations.models import EscalationItem
from escalations.tests.factories import EscalationItemFactory
from reports.models import MonthlyReport
from reports.tests.factories import MonthlyReportFactory

DIFFICULTY = "Thiếu kinh phí mua chữ ký số; đề nghị hỗ trợ."


def test_report_text_and_escalated_difficulties_in_nfd_are_rewritten_in_nfc(db):
    report = MonthlyReportFactory(
        submitted=True, difficulties=unicodedata.normalize("NFD", DIFFICULTY), attested_by_name="Lê Văn Bảy"
    )
    item = EscalationItemFactory(difficulty=unicodedata.normalize("NFD", DIFFICULTY))

    import_module("reports.migrations.0007_text_in_nfc").forwards(apps, None)
    import_module("escalations.migrations.0003_text_in_nfc").forwards(apps, None)

    assert MonthlyReport.objects.get(pk=report.pk).difficulties == DIFFICULTY
    assert MonthlyReport.objects.get(pk=report.pk).attested_by_name == "Lê Văn Bảy"
    assert EscalationItem.objects.get(pk=item.pk).difficulty == DIFFICULTY
    assert all(unicodedata.is_normalized("NFC", h.difficulties) for h in report.history.all())
