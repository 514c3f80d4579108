"""Benchmark `ticreg`'s start-up: what a command costs before it does any work.

It times, as subprocesses run from the repository root (its registry/), the
CPU time (user + system, from ``resource.getrusage(RUSAGE_CHILDREN)``) of:

* bare interpreter: ``python -c pass``, the floor every command pays;
* ``ticreg --help``: the parser with every command's options and help;
* ``ticreg publicity-window 2026-11-26``: a small real command (it loads and
  validates policy.yml and the calendar, then computes one window).

Each is run --repeat times, interleaved round by round, and the median is
reported with its ratio to the bare interpreter. Before timing, each command
must succeed once (exit 0), so the timed runs do the real work. Target:
``ticreg --help`` at most 0.1 s CPU. tests/test_startup.py checks which
modules each command imports; this script only measures.

Run with the project's interpreter, from the repository root:

    .venv/bin/python benchmarks/startup.py
    .venv/bin/python benchmarks/startup.py --repeat 21
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import ticreg_command  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PUBLISHED = "2026-11-26"  # a publication date: the command's argument, not "today"
TARGET_HELP_S = 0.1


def measurements(command: str) -> list[tuple[str, list[str]]]:
    """(label, argv) of each timed command; the first is the floor the others are compared with."""
    return [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("ticreg --help", [command, "--help"]),
        (f"ticreg publicity-window {PUBLISHED}", [command, "publicity-window", PUBLISHED]),
    ]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds(argv: list[str]) -> float:
    """CPU time (user + system) of one run of ``argv``, which must exit 0."""
    before = _children_cpu()
    completed = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, encoding="utf-8")
    spent = _children_cpu() - before
    if completed.returncode != 0:
        sys.exit(f"startup: {' '.join(argv)} exited {completed.returncode}\n{completed.stderr}")
    return spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=11, help="timed runs of each command; the median counts (default 11)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    runs = measurements(ticreg_command())
    for _, command in runs:  # once untimed: it must work, and the .pyc files get written
        cpu_seconds(command)
    times: dict[str, list[float]] = {label: [] for label, _ in runs}
    for _ in range(args.repeat):
        for label, command in runs:
            times[label].append(cpu_seconds(command))
    medians = {label: statistics.median(values) for label, values in times.items()}
    floor = medians[runs[0][0]]
    print(f"median of {args.repeat}, CPU = user+system of the child process (Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    print("| command | CPU s (median) | min | max | ratio to bare python |")
    print("|---|---:|---:|---:|---:|")
    for label, values in times.items():
        ratio = medians[label] / floor if floor else float("nan")
        print(f"| `{label}` | {medians[label]:.3f} | {min(values):.3f} | {max(values):.3f} | {ratio:.1f} |")
    if medians["ticreg --help"] > TARGET_HELP_S:
        print(f"\nticreg --help is above the {TARGET_HELP_S} s CPU target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
