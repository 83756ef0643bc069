"""The load run's CPU accounting: each process by its role, a process started meanwhile from zero."""

import os
import subprocess
import sys

from bench import cpu


def test_a_stat_line_gives_the_name_and_the_cpu_with_reaped_children():
    line = "4242 (postgres: a (b)) S 1 2 3 0 -1 4194560 10 0 0 0 150 50 300 100 20 0 1 0 99 0 0"
    assert cpu.parse_stat(line) == ("postgres: a (b)", 600 / cpu.TICKS)


def test_the_run_itself_is_the_load_generator_and_a_child_it_reaped_is_counted():
    before = cpu.sample()
    assert before[os.getpid()][0] == "load generator"
    subprocess.run([sys.executable, "-c", "sum(range(10_000_000))"], check=True)  # about 0.2 s; reaped into ours
    used = cpu.spent(before, cpu.sample())
    assert used["load generator"] > 0.05
    assert set(used) == set(cpu.ROLES)


def test_a_process_started_after_the_first_sample_counts_from_zero():
    before = {1: ("other", 5.0)}
    after = {1: ("other", 7.0), 2: ("database (PostgreSQL)", 3.0), 3: ("Redis", 1.0)}
    used = cpu.spent(before, after)
    assert (used["other"], used["database (PostgreSQL)"], used["Redis"]) == (2.0, 3.0, 1.0)


def test_a_backend_that_exits_counts_only_its_cpu_after_the_first_sample():
    postmaster, backend = ("database (PostgreSQL)", 10.0), ("database (PostgreSQL)", 4.0)
    before = {1: postmaster, 2: backend}
    after = {1: ("database (PostgreSQL)", 10.0 + 6.0)}  # the backend used 2 s more, then exited: reaped, 6 s in all
    assert cpu.spent(before, after)["database (PostgreSQL)"] == 2.0
