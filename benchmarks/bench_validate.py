"""Benchmark `ticreg validate` against plain libyaml parsing of the same files.

Builds a synthetic registry of N valid records (about N/2 applications and
N/2 centers, each center referencing its application and vice versa) next to
a copy of the repository's policy.yml and departments.yml, checks once that
`ticreg validate` reports zero findings on it, then times, best of --repeat:

* CSafeLoader: read bytes + UTF-8 decode + ``yaml.load(text, Loader=yaml.CSafeLoader)``
  for all N+2 files (the file list is built beforehand, outside the timing);
* validate (in-process): ``ticreg.validate.validate_registry(root, cwd)``;
* validate (CLI): the installed ``ticreg validate`` command as a subprocess,
  wall clock including interpreter start-up and imports.

and prints the ratios validate/CSafeLoader, for elapsed (wall) time and,
as a second row that is steadier on a busy machine, CPU time (user + system,
the CLI's child process included). There is no pass/fail threshold: the
script only reports. ``--profile`` adds cProfile statistics of one extra,
untimed in-process validation.

Run with the project's interpreter, from the repository root:

    .venv/bin/python benchmarks/bench_validate.py --n 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from ticreg.identifiers import (
    USCC_ALPHABET,
    patent_expected_check_character,
    uscc_expected_check_character,
)
from ticreg.validate import validate_registry

REPO = Path(__file__).resolve().parent.parent
SOURCE_REGISTRY = REPO / "registry"
SEED = 20240617

# ---------------------------------------------------------------------------
# Synthetic data
# ---------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def _below_10000(n: int) -> str:
    out: list[str] = []
    pending_zero = False
    for digit, unit in zip(f"{n:04d}", ("千", "百", "十", "")):
        d = int(digit)
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[d] + unit)
    return "".join(out)


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 1024 -> 一千零二十四, 10000 -> 一万 (n < 10**8)."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = ""
    if high:
        text = _below_10000(high) + "万"
        if 0 < low < 1000:
            text += "零"
    if low:
        text += _below_10000(low)
    return text[1:] if text.startswith("一十") else text


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = [
    "建华", "晓东", "丽娟", "伟", "思远", "洋", "志强", "秀英", "海涛", "静", "国庆", "春梅",
    "宏伟", "雪", "立新", "文博", "晓燕", "鹏", "建国", "佳怡", "振华", "敏", "浩然", "玉兰",
]
TOPICS = ["高效开发", "智能装备", "绿色低碳", "关键材料", "数字化", "精密制造", "清洁利用", "检测认证"]
UNIT_WORDS = ["华晋", "太行", "丹河", "沁河", "凤城", "珏山", "析城", "王莽岭", "皇城", "司徒"]
CO_BUILDER_SCHOOLS = ["太原理工大学", "中北大学", "山西大学", "太原科技大学", "山西农业大学", "晋城职业技术学院"]
# Registration divisions for co-builders outside Jincheng (Taiyuan districts).
OTHER_DIVISIONS = ["140105", "140106", "140107", "140109"]
TEAM_QUALIFIED = [("full-senior", "doctorate"), ("associate-senior", "master"), ("intermediate", "master"),
                  ("associate-senior", "doctorate"), ("intermediate", "bachelor")]
TEAM_OTHER = [("junior", "master"), ("junior", "bachelor"), ("none", "bachelor"), ("intermediate", "other")]
# Days after submission of each history event, as in the exemplar application.
EVENTS = [(0, "submitted"), (14, "department-approved"), (30, "bureau-rechecked"), (43, "site-inspected"),
          (64, "expert-reviewed"), (85, "meeting-approved"), (87, "publicity-started")]
# Three weeks after publication: past the 5-working-day window even when a
# 9-day Spring Festival or National Day holiday falls inside it.
CERTIFIED_AFTER = 108
# The records are valid as of this day (events up to late 2025, so no
# evaluation is due yet); validation judges "today" by it, not by the clock.
TODAY = dt.date(2026, 11, 26)


def uscc(rng: random.Random, division: str) -> str:
    """A valid credit code: 9 1 (enterprise), division, 9-character body, check."""
    body = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    first17 = "91" + division + body
    check = uscc_expected_check_character(first17 + "0")
    assert check is not None
    return first17 + check


def patent_number(rng: random.Random, kind_digit: str, year: int) -> str:
    body = f"{year}{kind_digit}{rng.randrange(10**7):07d}"
    return f"ZL{body}.{patent_expected_check_character(body)}"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


# The public profile an application proposes and its center carries.
PROFILE = """\
  - name: {partner_name}
    uscc: {partner_uscc}
    unit_kind: enterprise
    join_mode: shareholding
director:
  name: {director}
  title_level: full-senior
  title: 正高级工程师
  degree: doctorate
research_directions:
  - {cluster_name}{topic}关键共性技术
  - {cluster_name}智能化装备与工艺
summary: >-
  围绕晋城市{cluster_name}产业{topic}，开展关键共性技术研发与成果转化，
  为区域企业提供技术委托研发、检验检测和人员培训服务。
services: [commissioned-rd, inspection-testing, training]
"""

APPLICATION = """\
# 【基准测试数据】由 benchmarks/bench_validate.py 生成，单位、人员、编号均为虚构。
id: {app_id}
kind: certification
category: domain
proposed_name: {name}
cluster: {cluster}
county_code: "{county}"
organizing_department: {department}
center_legal_form: enterprise
lead_unit:
  name: {lead_name}
  uscc: {lead_uscc}
  independent_legal_person: true
  unit_kind: enterprise
co_builders:
  - name: {school}
    unit_kind: university
    join_mode: agreement
{profile}team:
{team}
rd_equipment_value_yuan: {equipment}
floor_area_m2: {area}
ip_achievements:
  - kind: invention-patent
    title: 一种{cluster_name}{topic}方法
    number: {invention}
    granted_on: {granted_on}
  - kind: utility-model-patent
    title: 一种{cluster_name}检测装置
    number: {utility}
    granted_on: {granted_on}
  - kind: software-copyright
    title: {cluster_name}{topic}管理软件 V{version}.0
    number: {copyright}
declarations:
  complies-with-industrial-policy: true
  no-major-safety-incident: true
  no-major-quality-incident: true
  no-serious-environmental-issue: true
  no-illegal-or-dishonest-record: true
contact:
  person: {contact}
  phone: "{mobile}"
  email: tic{seq}@example.com
history:
{history}"""

CENTER = """\
# 【基准测试数据】由 benchmarks/bench_validate.py 生成，单位、人员、编号均为虚构。
id: {center_id}
name: {name}
category: domain
cluster: {cluster}
county_code: "{county}"
organizing_department: {department}
application_id: {app_id}
legal_form: enterprise
lead_unit:
  name: {lead_name}
  uscc: {lead_uscc}
  unit_kind: enterprise
co_builders:
  - name: {school}
    unit_kind: university
    join_mode: agreement
{profile}contact:
  address: 山西省晋城市示例路 {seq} 号
  office_phone: 0356-{office}
  email: tic{seq}@example.com
  website: https://example.com/tic-{seq}
history:
  - {{date: {certified_on}, event: certified, document_number: {document}, application_id: {app_id}}}
"""


# Both templates carry the same profile; filled in before .format().
APPLICATION = APPLICATION.replace("{profile}", PROFILE)
CENTER = CENTER.replace("{profile}", PROFILE)


def team_lines(rng: random.Random) -> str:
    """5 qualified full-time members working in Jincheng > 6 months, plus 0-3 others."""
    members = [(level, degree, True, rng.randint(7, 12)) for level, degree in TEAM_QUALIFIED]
    for _ in range(rng.randint(0, 3)):
        level, degree = rng.choice(TEAM_OTHER)
        members.append((level, degree, rng.random() < 0.5, rng.randint(0, 12)))
    return "\n".join(
        f"  - {{name: {person(rng)}, title_level: {level}, degree: {degree}, "
        f"full_time: {'true' if full_time else 'false'}, months_in_jincheng_per_year: {months}}}"
        for level, degree, full_time, months in members
    )


def build_registry(root: Path, n: int) -> tuple[int, int]:
    """Write the registry-wide files and n records under root; return (applications, centers)."""
    root.mkdir(parents=True)
    for name in ("policy.yml", "departments.yml", "staff.yml"):
        shutil.copyfile(SOURCE_REGISTRY / name, root / name)
    shutil.copytree(SOURCE_REGISTRY / "calendar", root / "calendar", ignore=shutil.ignore_patterns("*.md"))
    policy = yaml.safe_load((root / "policy.yml").read_text(encoding="utf-8"))
    departments = yaml.safe_load((root / "departments.yml").read_text(encoding="utf-8"))["departments"]
    clusters = policy["clusters"]
    counties = [c["code"] for c in policy["counties"]]
    # "1405": the prefix characters 3-8 of a lead unit's credit code must start with.
    prefix = policy["eligibility"]["registration_division_prefix"]

    rng = random.Random(SEED)
    n_applications = (n + 1) // 2
    n_centers = n // 2
    for directory in {d["id"] for d in departments}:
        (root / "applications" / directory).mkdir(parents=True)
    (root / "centers").mkdir()

    for i in range(n_applications):
        seq = i + 1
        department = departments[i % len(departments)]
        county = department.get("county_code") or counties[i % len(counties)]
        assert county.startswith(prefix)
        cluster = clusters[i % len(clusters)]
        topic = TOPICS[(i // len(clusters)) % len(TOPICS)]
        # Within the years registry/calendar/ covers, certified by TODAY.
        submitted = dt.date(2024, 1, 2) + dt.timedelta(days=i % 600)
        certified_on = submitted + dt.timedelta(days=CERTIFIED_AFTER)
        year = certified_on.year
        app_id = f"{submitted.year}-{department['id']}-{seq:05d}"
        center_id = f"{cluster['id']}-tic-{seq:05d}"
        # Unique and matching ^晋城市(?P<core>\S+?)技术创新中心$: the XX part is the
        # cluster, a topic and the sequence number in Chinese numerals.
        name = f"晋城市{cluster['name']}{topic}{chinese_number(seq)}号技术创新中心"
        word = UNIT_WORDS[i % len(UNIT_WORDS)]
        values = {
            "seq": seq,
            "app_id": app_id,
            "center_id": center_id,
            "name": name,
            "cluster": cluster["id"],
            "cluster_name": cluster["name"],
            "topic": topic,
            "county": county,
            "department": department["id"],
            "lead_name": f"晋城{word}{cluster['name']}科技第{chinese_number(seq)}有限公司",
            "lead_uscc": uscc(rng, county),
            "school": CO_BUILDER_SCHOOLS[i % len(CO_BUILDER_SCHOOLS)],
            "partner_name": f"山西{word}{cluster['name']}装备第{chinese_number(seq)}有限公司",
            "partner_uscc": uscc(rng, rng.choice(OTHER_DIVISIONS + counties)),
            "director": person(rng),
        }
        has_center = i < n_centers
        history = [f"  - {{date: {(submitted + dt.timedelta(days=d)).isoformat()}, event: {event}}}"
                   for d, event in EVENTS]
        document = f"晋市科发〔{year}〕{seq}号"
        if has_center:
            history.append(f"  - {{date: {certified_on.isoformat()}, event: certified, "
                           f"document_number: {document}, center_id: {center_id}}}")
        patent_year = rng.randint(2010, submitted.year - 1)
        application = APPLICATION.format(
            **values,
            team=team_lines(rng),
            equipment=rng.randrange(3_000_000, 20_000_000, 10_000),
            area=rng.randrange(500, 5000, 10),
            invention=patent_number(rng, "1", patent_year),
            utility=patent_number(rng, "2", patent_year),
            granted_on=dt.date(patent_year + 1, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
            version=rng.randint(1, 5),
            copyright=f"{patent_year + 1}SR{rng.randrange(10**7):07d}",
            contact=person(rng),
            mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            history="\n".join(history) + "\n",
        )
        (root / "applications" / department["id"] / f"{app_id}.yml").write_text(application, encoding="utf-8")
        if has_center:
            center = CENTER.format(
                **values,
                office=f"{rng.randint(2, 8)}{rng.randrange(10**6):06d}",
                certified_on=certified_on.isoformat(),
                document=document,
            )
            (root / "centers" / f"{center_id}.yml").write_text(center, encoding="utf-8")
    return n_applications, n_centers


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


def registry_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yml") if p.is_file())


def parse_all(paths: list[Path]) -> None:
    load, loader = yaml.load, yaml.CSafeLoader
    for path in paths:
        load(path.read_bytes().decode("utf-8"), Loader=loader)


def ticreg_command() -> str:
    beside = Path(sys.executable).parent / "ticreg"
    found = str(beside) if beside.exists() else shutil.which("ticreg")
    if found is None:
        sys.exit("bench_validate: cannot find the `ticreg` command (run with the project's .venv/bin/python)")
    return found


def run_cli(command: str, workdir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([command, "validate", "--registry", "registry", "--today", TODAY.isoformat(), *extra],
                          cwd=workdir, capture_output=True, text=True, encoding="utf-8")


def _cpu() -> float:
    """CPU seconds of this process and its waited-for children (user + system)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(function) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one call."""
    gc.collect()
    cpu, start = _cpu(), time.perf_counter()
    function()
    return time.perf_counter() - start, _cpu() - cpu


def verify(root: Path, workdir: Path, command: str, expected_files: int) -> None:
    """Abort unless both the engine and the CLI report zero findings on all files."""
    outcome = validate_registry(root, workdir, today=TODAY)
    problems = []
    if outcome.findings:
        problems.append(f"in-process validation reported {len(outcome.findings)} finding(s):")
        problems += [f"  {f.path}:{f.line}:{f.column}: {f.rule} {f.message}" for f in outcome.findings[:20]]
    if outcome.files != expected_files:
        problems.append(f"in-process validation checked {outcome.files} files, expected {expected_files}")
    result = run_cli(command, workdir, "--format", "json")
    try:
        summary = json.loads(result.stdout)["summary"]
    except (ValueError, KeyError):
        summary = None
    if result.returncode != 0 or summary != {"files": expected_files, "errors": 0, "warnings": 0}:
        problems.append(f"`ticreg validate` exited {result.returncode} with summary {summary}")
        problems.append(result.stderr.strip()[:2000])
    if problems:
        sys.exit("bench_validate: the synthetic registry is not valid; timing failing files is meaningless.\n"
                 + "\n".join(problems))


def profile(root: Path, workdir: Path, lines: int) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    validate_registry(root, workdir, today=TODAY)
    profiler.disable()
    for key in ("cumulative", "tottime"):
        print(f"\n--- cProfile of one in-process validation, sorted by {key} ---")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(key).print_stats(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of synthetic records (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement; the best counts")
    parser.add_argument("--keep", metavar="DIR",
                        help="write the registry to DIR/registry and keep it (DIR/registry must not exist)")
    parser.add_argument("--profile", type=int, nargs="?", const=15, default=0, metavar="LINES",
                        help="also print cProfile stats of one in-process validation (top LINES, default 15)")
    args = parser.parse_args(argv)
    if args.n < 2 or args.repeat < 1:
        parser.error("--n must be at least 2 and --repeat at least 1")

    if args.keep:
        workdir = Path(args.keep).resolve()
        if (workdir / "registry").exists():
            parser.error(f"{workdir / 'registry'} already exists")
        workdir.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="ticreg-bench-")
        workdir = Path(cleanup.name).resolve()
    try:
        root = workdir / "registry"
        start = time.perf_counter()
        n_applications, n_centers = build_registry(root, args.n)
        paths = registry_files(root)
        size = sum(p.stat().st_size for p in paths)
        print(f"built {len(paths)} files ({n_applications} applications, {n_centers} centers, "
              f"{size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s under {workdir}")
        command = ticreg_command()
        verify(root, workdir, command, len(paths))
        print("verified: `ticreg validate` reports 0 findings")

        parse_times, inprocess_times, cli_times = [], [], []
        for _ in range(args.repeat):  # interleaved, so drift affects all three alike
            parse_times.append(timed(lambda: parse_all(paths)))
            inprocess_times.append(timed(lambda: validate_registry(root, workdir, today=TODAY)))
            result = None

            def cli() -> None:
                nonlocal result
                result = run_cli(command, workdir)

            cli_times.append(timed(cli))
            if result.returncode != 0 or result.stdout:
                sys.exit(f"bench_validate: `ticreg validate` failed during timing:\n{result.stdout}{result.stderr}")

        header = ("clock", "N", "files", "CSafeLoader s", "validate s (in-process)", "validate s (CLI)",
                  "ratio in-process", "ratio CLI")
        rows = []
        for clock, index in (("wall", 0), ("cpu", 1)):
            parse_s = min(t[index] for t in parse_times)
            inprocess_s = min(t[index] for t in inprocess_times)
            cli_s = min(t[index] for t in cli_times)
            rows.append((clock, f"{args.n:,}", f"{len(paths):,}", f"{parse_s:.3f}", f"{inprocess_s:.3f}",
                         f"{cli_s:.3f}", f"{inprocess_s / parse_s:.2f}", f"{cli_s / parse_s:.2f}"))
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
        print(f"\nbest of {args.repeat} (Python {sys.version.split()[0]}, libyaml {yaml.__with_libyaml__}; "
              f"wall = elapsed time, cpu = user+system time incl. the CLI child process)")
        print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in rows:
            print("| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                    for i, (c, w) in enumerate(zip(row, widths))) + " |")
        if args.profile:
            profile(root, workdir, args.profile)
        if args.keep:
            print(f"\nkept: {root} (cd {workdir} && ticreg validate)")
    finally:
        if cleanup is not None:
            cleanup.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
