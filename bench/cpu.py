"""Where a load run's CPU went, by what each process on the machine is: which part to move to its own host first.

Read from /proc (Linux): a process's own CPU plus that of its children it has reaped, so a PostgreSQL
backend that exits during the run is still counted, in its postmaster (less what it had used before the run;
this assumes the parent is of the same role). A process started during the run counts from zero.
"""

import os
from pathlib import Path

ROLES = ("web (gunicorn)", "worker (Celery)", "database (PostgreSQL)", "Redis", "load generator", "other")
TICKS = os.sysconf("SC_CLK_TCK")


def _role(pid: int, name: str, command: str) -> str:
    if pid == os.getpid():
        return "load generator"
    if "gunicorn" in command:
        return "web (gunicorn)"
    if "celery" in command:
        return "worker (Celery)"
    if name in ("postgres", "postmaster"):
        return "database (PostgreSQL)"
    if name.startswith("redis-server"):
        return "Redis"
    return "other"


def parse_stat(text: str) -> tuple[str, float]:
    """(the process's name, its CPU seconds with its reaped children's) from a /proc/<pid>/stat line."""
    name = text[text.index("(") + 1 : text.rindex(")")]  # the name may hold spaces and parentheses
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])  # fields 14-17 of proc(5)
    return name, (utime + stime + cutime + cstime) / TICKS


def sample() -> dict[int, tuple[str, float]]:
    """Each process's role and CPU seconds so far."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, seconds = parse_stat((entry / "stat").read_text())
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue  # gone meanwhile
        processes[int(entry.name)] = (_role(int(entry.name), name, command), seconds)
    return processes


def spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each role used between two samples."""
    totals = dict.fromkeys(ROLES, 0.0)
    for pid, (role, seconds) in after.items():
        earlier = before.get(pid)
        totals[role] += seconds - (earlier[1] if earlier and earlier[0] == role else 0.0)
    for pid, (role, seconds) in before.items():
        if after.get(pid, (None,))[0] != role:  # exited: its parent counts all its CPU, some of it from before
            totals[role] -= seconds
    return totals
