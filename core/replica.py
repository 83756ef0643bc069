"""Reads from a read replica where a moment's lag cannot mislead; everything else on the primary.

With DATABASE_REPLICA_URL set, the settings add a `replica` database (a streaming replica of the
primary) and this router sends some reads there. The rule:

1. Writes always go to the primary (`default`); the replica is never migrated or written.
2. Reads go to the replica only inside `reads()`: the views that only look (the province dashboard
   and its JSON, the facility list, the report list, decorated with `replica_view`) and the data of
   an export file. Everything else, including every form, the review queue and the facility page,
   reads the primary.
3. Read-after-write stays on the primary:
   - a request that wrote (any model but the session) reads the primary for the rest of the request;
   - any transaction reads the primary (a read inside `atomic()` belongs with its writes);
   - a request that was not GET/HEAD, or that wrote, sets a short cookie (`REPLICA_PIN_SECONDS`,
     10 s by default, well above a healthy replica's lag of well under a second) and the same
     browser reads the primary until it expires: an officer who approves a report sees the approval
     on the dashboard at once, and a facility user who submits sees the report in the list.
   Other users may see a write a moment late, as on any replicated system; the dashboard's figures
   are never more than the replica's lag behind.

Without DATABASE_REPLICA_URL every read goes to the primary and no cookie is set.
"""

import contextlib
import functools
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "emr_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# True inside reads(): reads may go to the replica.
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)
# True once the current request (or reads() block) wrote: its later reads go to the primary.
_wrote: ContextVar[bool] = ContextVar("replica_wrote", default=False)
# False inside reads(follow_writes=False): writes there (an export's progress) do not pin.
_follow_writes: ContextVar[bool] = ContextVar("replica_follow_writes", default=True)
# The current request's record of whether it wrote (PrimaryPinMiddleware sets the cookie from it).
_request_writes: ContextVar[list | None] = ContextVar("replica_request_writes", default=None)


def configured() -> bool:
    return REPLICA in connections.settings


def pinned(request) -> bool:
    """The browser wrote a moment ago (see the module's rule 3): its reads stay on the primary."""
    return PIN_COOKIE in request.COOKIES


@contextlib.contextmanager
def reads(request=None, *, follow_writes: bool = True):
    """Let the reads in this block go to the replica, unless the request's browser is pinned to the primary.

    follow_writes=False is for a block whose writes do not touch what it reads (an export's progress
    counter while it reads the facilities): they do not move its reads back to the primary.
    """
    if not configured() or (request is not None and pinned(request)):
        yield
        return
    tokens = (_replica_reads.set(True), _wrote.set(False), _follow_writes.set(follow_writes))
    try:
        yield
    finally:
        for var, token in zip((_replica_reads, _wrote, _follow_writes), tokens, strict=True):
            var.reset(token)


def replica_view(view):
    """A page that only looks: its GET requests read the replica (module rule 2), its other methods the primary.

    The user and the session are loaded from the primary first, so a password change or a log-out is
    never undone by a replica that has not caught up.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            return view(request, *args, **kwargs)
        getattr(request.user, "pk", None)  # the user (and the session) from the primary
        with reads(request):
            return view(request, *args, **kwargs)

    return wrapper


class ReplicaRouter:
    """DATABASE_ROUTERS: the module's rule, applied to every query."""

    def db_for_read(self, model, **hints):
        if (
            _replica_reads.get()
            and not _wrote.get()
            and configured()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        if model._meta.label != "sessions.Session":
            if _follow_writes.get():
                _wrote.set(True)
            request_writes = _request_writes.get()
            if request_writes is not None:
                request_writes.append(model._meta.label)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica follows the primary's schema; it is never migrated


class PrimaryPinMiddleware:
    """Module rule 3: a request that was not a plain read pins its browser to the primary for a few seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = []
        tokens = (_wrote.set(False), _request_writes.set(writes))
        try:
            response = self.get_response(request)
            if configured() and (request.method not in SAFE_METHODS or writes):
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.REPLICA_PIN_SECONDS,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            _wrote.reset(tokens[0])
            _request_writes.reset(tokens[1])
