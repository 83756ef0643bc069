from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self):
        from assessments.services import approved_results_changed
        from core.workflow import approved, sent_changed
        from facilities.services import registry_changed
        from reports.models import MonthlyReport

        from .services import recompute_after_approval, rollup_after_registry, rollup_after_sending

        approved.connect(recompute_after_approval, dispatch_uid="compliance.recompute_after_approval")
        approved_results_changed.connect(recompute_after_approval, dispatch_uid="compliance.recompute_after_results")
        registry_changed.connect(rollup_after_registry, dispatch_uid="compliance.rollup_after_registry")
        sent_changed.connect(rollup_after_sending, sender=MonthlyReport, dispatch_uid="compliance.rollup_after_sending")
