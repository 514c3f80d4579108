"""Benchmark `ticreg check-changes`: its cost must follow the change, not the registry.

For each N (default 1,000 and 10,000) it builds the synthetic registry of
benchmarks/bench_validate.py (N valid records, about N/2 applications and
N/2 centers) plus the repository's staff.yml and calendar, in a fresh git
repository. In the committed base one application stops at `site-inspected`;
the change appends its next event (`expert-reviewed`) to that one file. It
then times, as a subprocess with wall-clock time, best of --repeat:

* working tree: ``ticreg check-changes --base HEAD`` with the change left
  uncommitted (the head defaults to the working tree);
* commits: ``ticreg check-changes --base HEAD~1 --head HEAD`` with the change
  committed (what CI runs on a pull request);
* start-up: ``ticreg --help``, the interpreter and imports alone, for scale.

Each is reported as wall-clock time and as CPU time (user + system of the
``ticreg`` process and the git processes it starts), which is steadier when
other jobs share the machine.

Before timing it checks that the legal change passes with 1 file checked and
that an illegal one (`certified` appended instead) is refused with G905, so
the timed runs do judge the change. Target: under 1 second at N = 10,000 on
the project's 2-vCPU machine, and about the same time for both N.

Run with the project's interpreter, from the repository root:

    .venv/bin/python benchmarks/bench_check_changes.py
    .venv/bin/python benchmarks/bench_check_changes.py --n 1000 10000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import build_registry, ticreg_command  # noqa: E402

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]


def git(workdir: Path, *args: str) -> str:
    return subprocess.run([*GIT, *args], cwd=workdir, check=True, capture_output=True, text=True).stdout


def prepare(workdir: Path, n: int) -> tuple[Path, str, str]:
    """Build and commit the registry; return (changed file, its base text, the appended line)."""
    root = workdir / "registry"
    build_registry(root, n)  # staff.yml and the calendar included
    target = sorted((root / "applications" / "zezhou").glob("*.yml"))[0]
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = next(i for i, line in enumerate(lines) if "event: expert-reviewed" in line)
    base_text, appended = "".join(lines[:cut]), lines[cut]
    target.write_text(base_text, encoding="utf-8")
    git(workdir, "init", "-q")
    git(workdir, "add", "-A")
    git(workdir, "commit", "-q", "-m", "base")
    git(workdir, "status", "--porcelain")  # refresh the index once, as any checkout has
    return target, base_text, appended


def run(command: str, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([command, *args], cwd=workdir, capture_output=True, text=True, encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best(function, repeat: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child processes), each the best of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, start = _children_cpu(), time.perf_counter()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return min(walls), min(cpus)


def verify(command: str, workdir: Path, target: Path, base_text: str, appended: str) -> None:
    illegal = appended.replace("event: expert-reviewed", "event: certified")
    target.write_text(base_text + illegal, encoding="utf-8")
    refused = run(command, workdir, "check-changes", "--base", "HEAD", "--format", "json")
    rules = [f["rule"] for f in json.loads(refused.stdout)["findings"]] if refused.stdout else []
    target.write_text(base_text + appended, encoding="utf-8")
    passed = run(command, workdir, "check-changes", "--base", "HEAD", "--format", "json")
    summary = json.loads(passed.stdout)["summary"] if passed.stdout else None
    if refused.returncode != 1 or rules != ["G905"] or passed.returncode != 0 or summary != {
        "files": 1, "errors": 0, "warnings": 0
    }:
        sys.exit(f"bench_check_changes: unexpected verdicts ({refused.returncode} {rules}; "
                 f"{passed.returncode} {summary})\n{refused.stderr}{passed.stderr}")


def measure(n: int, repeat: int, command: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="ticreg-bench-changes-") as folder:
        workdir = Path(folder)
        start = time.perf_counter()
        target, base_text, appended = prepare(workdir, n)
        files = sum(1 for _ in (workdir / "registry").rglob("*.yml"))
        print(f"N = {n:,}: {files:,} registry files committed in {time.perf_counter() - start:.1f} s", flush=True)
        verify(command, workdir, target, base_text, appended)

        def working_tree() -> None:
            result = run(command, workdir, "check-changes", "--base", "HEAD")
            assert result.returncode == 0, result.stderr

        worktree_s = best(working_tree, repeat)
        git(workdir, "commit", "-q", "-am", "append expert-reviewed")

        def commits() -> None:
            result = run(command, workdir, "check-changes", "--base", "HEAD~1", "--head", "HEAD")
            assert result.returncode == 0, result.stderr

        commits_s = best(commits, repeat)
        startup_s = best(lambda: run(command, workdir, "--help"), repeat)
    return {"n": n, "files": files, "worktree": worktree_s, "commits": commits_s, "startup": startup_s}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000], help="registry sizes (default 1000 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement; the best counts")
    args = parser.parse_args(argv)
    if min(args.n) < 2 or args.repeat < 1:
        parser.error("--n must be at least 2 and --repeat at least 1")
    command = ticreg_command()
    rows = [measure(n, args.repeat, command) for n in args.n]
    print(f"\nbest of {args.repeat}, one application file changed (Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}); "
          "wall = elapsed, cpu = user+system time of ticreg and the git processes it runs")
    print("| clock | N | registry files | check-changes s (working tree) | check-changes s (commits) | ticreg --help s |")
    print("|---|---:|---:|---:|---:|---:|")
    for clock, i in (("wall", 0), ("cpu", 1)):
        for row in rows:
            print(f"| {clock} | {row['n']:,} | {row['files']:,} | {row['worktree'][i]:.3f} | "
                  f"{row['commits'][i]:.3f} | {row['startup'][i]:.3f} |")
    slow = [row for row in rows if row["worktree"][0] >= 1.0 or row["commits"][0] >= 1.0]
    if slow:
        print("\nabove the 1 second target: " + ", ".join(f"N = {row['n']:,}" for row in slow))
    return 0


if __name__ == "__main__":
    sys.exit(main())
