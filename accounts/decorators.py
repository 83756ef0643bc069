from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def officer_required(view):
    """DoH officers (and administrators) only; others get 403, anonymous users the login page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_officer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def province_required(view):
    """Officers, leadership and administrators: the people who see the whole province."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.sees_all_facilities:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
