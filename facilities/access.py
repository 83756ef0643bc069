"""Who may do what with a facility and its submissions, answered here for every page (SPEC section 3).

- See: `Facility.objects.for_user(user)` and each model's `for_user()`. Anything else answers 404,
  for a write too, so nobody learns that another facility's page exists.
- `write`: create, edit and submit the facility's submissions (assessments, reports, evidence):
  its members only (`editable_by`), never officers or leadership. Otherwise 403.
- `review`: approve or return a submission: DoH officers. Otherwise 403.
- `manage`: the facility's registry entry (edit, activate, extension, members): DoH officers.
  Otherwise 403.

Views ask `facility_for()` or `submission_for()` and get the object or the error; pages that
show a button receive `may_write()` or `may_review()` as an argument instead of working it out.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Facility


def may_write(user, facility_id: int) -> bool:
    """A member of the facility: writes its submissions (one query)."""
    return Facility.objects.editable_by(user).filter(pk=facility_id).exists()


def may_review(user) -> bool:
    """A DoH officer: approves and returns submissions, and manages the registry."""
    return user.is_officer


def require(user, facility_id: int, *, write: bool = False, review: bool = False, manage: bool = False) -> None:
    """403 unless `user` may do each thing asked on a facility they already see."""
    if (review or manage) and not may_review(user):
        raise PermissionDenied
    if write and not may_write(user, facility_id):
        raise PermissionDenied


def facility_for(
    request, code: str, *, write: bool = False, manage: bool = False, queryset: QuerySet | None = None
) -> Facility:
    """The facility with `code` if the user sees it (else 404), and may do what is asked (else 403).

    Read with its type and area (what every page shows), or from `queryset`, which is scoped here.
    """
    facilities = (queryset if queryset is not None else Facility.objects.select_related("type", "area")).for_user(
        request.user
    )
    facility = get_object_or_404(facilities, code=code)
    require(request.user, facility.pk, write=write, manage=manage)
    return facility


def submission_for(request, queryset: QuerySet, pk, *, write: bool = False, review: bool = False):
    """The submission (assessment, report…) `pk` of `queryset` if the user sees it (else 404), and may
    do what is asked (else 403). `queryset` is scoped here with the model's `for_user()`."""
    item = get_object_or_404(queryset.for_user(request.user), pk=pk)
    require(request.user, item.facility_id, write=write, review=review)
    return item
