"""Writes to the registry; each one leaves a history entry with who did it and why.

Every caller goes through here: the registry pages, the Excel import and Django admin.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal

from .models import Facility, Membership

User = get_user_model()


# Sent in the writing transaction after facilities were saved, with `slices`: the (type, area, ownership) they
# were in before and are in now. compliance listens: its dashboard counts per type, area and ownership follow.
registry_changed = Signal()


def _stored_slices(facilities: list[Facility]) -> set[tuple[int, int, str]]:
    """The (type, area, ownership) of the facilities as stored: before they are saved (one query, none if new)."""
    pks = [facility.pk for facility in facilities if facility.pk is not None]
    if not pks:
        return set()
    return set(Facility.objects.filter(pk__in=pks).values_list("type_id", "area_id", "ownership"))


def _write(facility: Facility, *, by, reason: str | None) -> tuple[int, int, str]:
    """Save the facility with its history's who and why; the (type, area, ownership) it is in now."""
    facility._change_reason = reason
    facility._history_user = by
    facility.save()
    return (facility.type_id, facility.area_id, facility.ownership)


@transaction.atomic
def _save(facility: Facility, *, by, reason: str | None) -> Facility:
    before = _stored_slices([facility])
    registry_changed.send(Facility, slices=before | {_write(facility, by=by, reason=reason)})
    return facility


def facility_create(*, facility: Facility, by, reason: str | None = None) -> Facility:
    """A new facility, validated by its form or the import; its history starts with `by`."""
    return _save(facility, by=by, reason=reason)


def facility_update(*, facility: Facility, by, reason: str | None = None) -> Facility:
    """The registry entry as edited (form, import or admin); the history keeps the old values."""
    return _save(facility, by=by, reason=reason)


@transaction.atomic
def registry_import(*, facilities: list[Facility], by) -> None:
    """A checked registry file's new and changed facilities in file order, all or nothing (areas come from the
    administrative list, never from an import)."""
    slices = _stored_slices(facilities)
    for facility in facilities:
        slices.add(_write(facility, by=by, reason="import"))
    registry_changed.send(Facility, slices=slices)


@transaction.atomic
def facility_grant_extension(
    *,
    facility: Facility,
    deadline: datetime.date,
    reason: str,
    document_number: str,
    document_date: datetime.date,
    by,
) -> Facility:
    """A DoH officer extends the deadline on an authorising document (number and date) with a reason.

    The extension, its document and its reason stay in the facility's history, so earlier ones remain
    visible. One beyond the type's legal deadline (TT 13/2025) is allowed: the pages mark it.
    """
    facility.deadline = deadline
    facility.deadline_reason = reason
    facility.deadline_document_number = document_number
    facility.deadline_document_date = document_date
    return _save(facility, by=by, reason=f"extension: {document_number}: {reason}")


def facility_set_active(*, facility: Facility, active: bool, by) -> Facility:
    facility.is_active = active
    return _save(facility, by=by, reason="activated" if active else "deactivated")


@transaction.atomic
def membership_add(
    *, facility: Facility, username: str, role: str, by, full_name: str = "", email: str = "", password: str = ""
) -> Membership:
    """Adds an existing user to the facility, creating the account first when the username is new."""
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        User.username_validator(username)  # every caller, not only the form: "../admin" is no username
        first, _, last = full_name.strip().rpartition(" ")
        user = User.objects.create_user(
            username=username, email=email, password=password, first_name=first, last_name=last
        )
    membership = Membership(user=user, facility=facility, role=role)
    membership._history_user = by
    membership.save()
    return membership


def membership_remove(*, membership: Membership, by) -> None:
    membership._history_user = by
    membership.delete()


def membership_set_role(*, membership: Membership, role: str, by) -> Membership:
    """The membership's history records who changed the role; an unchanged role writes nothing."""
    if membership.role != role:
        membership.role = role
        membership._history_user = by
        membership.save()
    return membership
