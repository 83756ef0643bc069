import datetime
import zoneinfo

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

VALID = {
    "stage": "3",
    "departments_total": "4",
    "departments_live": "3",
    "inpatient_records": "20",
    "inpatient_electronic": "15",
    "outpatient_visits": "1.250",
    "outpatient_electronic": "900",
    "signed_share": "80",
    "lis_live": "on",
    "bhxh_on_time_share": "95,5",
    "signers_total": "8",
    "signers_with_certificate": "6",
    "last_backup_date": "28/09/2026",
    "staff_trained": "9",
    "staff_total": "10",
    "spending_to_date": "1.234.567",
}


def at(year, month, day, hour=9, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HCM)


def form_data(month=9, year=2026, version=None, **overrides) -> dict:
    """POST data of a valid report form for month/year, with overrides (None removes a field)."""
    data = {"period_month": str(month), "period_year": str(year), **VALID}
    if version is not None:
        data["version"] = str(version)
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
