"""`python -m bench.child <command> [options]`: a manage.py command, then its own peak memory.

The kernel's rusage cannot tell a child's peak: at exec, Linux keeps the parent's high-water
mark in the child's ru_maxrss, so every child of a 900 MB benchmark process looked 900 MB
big. VmHWM in /proc/self/status belongs to the program's own memory since its exec.
"""

import os
import sys

MARKER = "BENCH_PEAK_RSS_MB"


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return 0.0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rollout_portal.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["manage.py", *sys.argv[1:]])
    finally:
        print(f"{MARKER} {peak_rss_mb():.1f}", flush=True)
