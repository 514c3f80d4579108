"""Writes that lose nothing: concurrent `ticreg record`, atomic `ticreg build`, a `ticreg serve` that survives.

Everything runs for real: parallel `ticreg record` processes on one file,
`ticreg build` processes interrupted with a real SIGINT at several points
(while loading, while writing the sources, inside MkDocs), and the real
`ticreg serve` loop over HTTP on 127.0.0.1, broken by real bad input (a
Jinja template that does not parse, one that recurses forever, a registry
file that does not validate).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import queue
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, build_site_in, copy_site_inputs, run_cli
from ticreg.safe_files import FileChanged, create_exclusive, locked

CENTER_ID = "coalbed-methane-development"
EVALUATOR = "山西恒信科技评估咨询有限公司"
INTERRUPTED = "ticreg：已中断，网站未更新（网站目录保持上一次构建的内容）\n"
STAGING, OLD = ".site.staging", ".site.old"


def _ticreg(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "ticreg", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _record_note(note: str, cwd: Path) -> subprocess.Popen:
    """A retaining evaluation: legal any number of times, so every run may append one."""
    return _ticreg(
        "record", "evaluated", CENTER_ID, "--outcome", "retain", "--evaluator", EVALUATOR, "--note", note,
        "--date", "2026-11-20", "--today", TODAY.isoformat(), cwd=cwd,
    )


def _notes(path: Path) -> list[str]:
    return [e.get("note") for e in yaml.safe_load(path.read_text(encoding="utf-8"))["history"] if e.get("note")]


def _debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# --- concurrent `ticreg record` ---------------------------------------------------------


def test_parallel_records_on_one_file_lose_no_event(mini):
    path = mini.center
    recorded = []
    for round_ in range(3):
        notes = [f"第{round_}轮第{i}个" for i in range(8)]
        runs = [(note, _record_note(note, mini.base)) for note in notes]
        for note, run in runs:
            out, err = run.communicate(timeout=300)
            assert "Traceback" not in err, err
            if run.returncode == 0:
                assert out.startswith(f"已记录：registry/centers/{CENTER_ID}.yml 的 history["), out
                recorded.append(note)
            else:  # the one documented refusal: the file changed underneath (exit 1)
                assert run.returncode == 1 and "在本次写入期间被其他程序修改" in err, (run.returncode, err)
    written = _notes(path)
    assert sorted(written) == sorted(recorded)  # each success is in the file, once; nothing else is
    assert len(recorded) == 24  # ticreg runs take turns: none of them needs to give up
    assert [f for f in mini.check() if f.severity == "error"] == []
    assert _debris(path.parent) == []


def test_a_waiting_record_reads_what_was_written_while_it_waited(mini):
    """While another holds the file's lock, `record` waits; then it appends after what it finds."""
    path = mini.center
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = _record_note("等待之后", mini.base)
        time.sleep(3)
        assert run.poll() is None, run.communicate()
        text = path.read_text(encoding="utf-8")
        by_hand = f"  - {{date: 2026-11-19, event: evaluated, outcome: retain, evaluator: {EVALUATOR}, note: 手工写入}}\n"
        path.write_text(text + by_hand, encoding="utf-8")  # in place, as an editor holding the lock would
        fcntl.flock(held, fcntl.LOCK_UN)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert "history[2]" in out
    assert _notes(path) == ["手工写入", "等待之后"]


def test_a_record_waiting_on_a_replaced_file_locks_the_new_one(mini):
    """The file is replaced (a new inode, as git checkout or another record does) while `record`
    waits on the old one: it notices, locks the new file and appends to it."""
    path = mini.center
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        run = _record_note("换文件之后", mini.base)
        time.sleep(3)
        assert run.poll() is None, run.communicate()
        text = path.read_text(encoding="utf-8")
        by_hand = f"  - {{date: 2026-11-19, event: evaluated, outcome: retain, evaluator: {EVALUATOR}, note: 新文件}}\n"
        replacement = path.with_name("replacement.tmp")
        replacement.write_text(text + by_hand, encoding="utf-8")
        os.replace(replacement, path)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert _notes(path) == ["新文件", "换文件之后"]


def test_a_file_changed_after_it_was_read_is_not_overwritten(mini):
    path = mini.center
    with locked(path, "registry/centers/x.yml") as lock:
        original = lock.read()
        path.write_bytes(original + b"# changed by an editor\n")
        with pytest.raises(FileChanged) as refused:
            lock.replace(original, original + b"# this run's change\n")
    assert refused.value.exit_code == 1
    assert "registry/centers/x.yml 在本次写入期间被其他程序修改" in str(refused.value)
    assert path.read_bytes() == original + b"# changed by an editor\n"
    assert _debris(path.parent) == []


def test_record_keeps_the_files_mode_and_clears_a_killed_runs_temporary_file(mini):
    mini.center.chmod(0o640)
    (mini.center.parent / f".{mini.center.name}.k1ll3d.ticreg-tmp").write_text("half", encoding="utf-8")
    result = run_cli("record", "evaluated", CENTER_ID, "--outcome", "retain", "--evaluator", EVALUATOR,
                     "--date", "2026-11-20", "--today", TODAY.isoformat(), cwd=mini.base)
    assert result.code == 0, result.stderr
    assert stat.S_IMODE(mini.center.stat().st_mode) == 0o640
    assert _debris(mini.center.parent) == []


def test_create_exclusive_never_overwrites(tmp_path):
    path = tmp_path / "a.yml"
    create_exclusive(path, b"first\n")
    with pytest.raises(FileExistsError):
        create_exclusive(path, b"second\n")
    assert path.read_bytes() == b"first\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yml"]


def test_parallel_new_applications_with_one_id_create_one_complete_file(mini):
    runs = [
        _ticreg("new-application", "--department", "zezhou", "--id", "2026-zezhou-009", "--today", TODAY.isoformat(),
                cwd=mini.base)
        for _ in range(6)
    ]
    results = [(run.returncode, out, err) for run in runs for out, err in [run.communicate(timeout=300)]]
    assert sorted(code for code, _, _ in results) == [0, 2, 2, 2, 2, 2], results
    for code, _, err in results:
        assert "Traceback" not in err
        if code == 2:
            assert "registry/applications/zezhou/2026-zezhou-009.yml 已存在" in err, err
    created = mini.root / "applications" / "zezhou" / "2026-zezhou-009.yml"
    assert created.read_text(encoding="utf-8").endswith(f"- {{date: {TODAY.isoformat()}, event: submitted}}\n")
    assert _debris(created.parent) == []


# --- `ticreg build` is all or nothing ----------------------------------------------------


def _manifest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    repo = copy_site_inputs(tmp_path_factory.mktemp("built-once"))
    result = build_site_in(repo)
    assert result.code == 0, result.stderr
    return repo


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A built repository whose registry has since changed: a finished rebuild would differ."""
    repo = tmp_path / "repo"
    shutil.copytree(built_once, repo, symlinks=True)
    center = repo / "registry" / "centers" / f"{CENTER_ID}.yml"
    text = center.read_text(encoding="utf-8")
    assert "围绕沁水盆地南部" in text
    center.write_text(text.replace("围绕沁水盆地南部", "中断测试标记围绕沁水盆地南部"), encoding="utf-8")
    return repo


def _wait_until(condition, process: subprocess.Popen, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the build ended before {what}: {process.communicate()}"
        assert time.monotonic() < deadline, f"never {what}"
        time.sleep(0.005)


def _after(seconds: float):
    def condition_for(repo: Path, build: subprocess.Popen):
        start = time.monotonic()  # called right after the build started
        return lambda: time.monotonic() - start >= seconds

    return condition_for


def _files_in_staging(count: int):
    def condition_for(repo: Path, build: subprocess.Popen):
        staging = repo / STAGING
        return lambda: staging.is_dir() and sum(1 for p in staging.rglob("*") if p.is_file()) >= count

    return condition_for


def _while_importing(process_id: int):
    """Python's start-up is done and ticreg's modules are loading: pydantic's compiled core is mapped."""
    maps = Path(f"/proc/{process_id}/maps")
    return lambda: "_pydantic_core" in maps.read_text()


INTERRUPT_POINTS = {
    "while loading its modules": lambda repo, build: _while_importing(build.pid),
    "after 1.5 s": _after(1.5),
    "while writing the sources": lambda repo, build: (repo / "build" / "docs").is_dir,
    "when MkDocs starts": lambda repo, build: (repo / STAGING).is_dir,
    "inside MkDocs, 40 files written": _files_in_staging(40),
}


@pytest.mark.parametrize("point", INTERRUPT_POINTS)
def test_an_interrupted_build_leaves_the_previous_site_whole(built, point):
    before = _manifest(built / "site")
    assert len(before) > 100
    shutil.rmtree(built / "build")  # so "writing the sources" is observable
    build = _ticreg("build", "--today", TODAY.isoformat(), cwd=built)
    condition = INTERRUPT_POINTS[point](built, build)
    _wait_until(condition, build, f"reached {point}")
    build.send_signal(signal.SIGINT)
    out, err = build.communicate(timeout=120)
    assert (build.returncode, err, out) == (130, INTERRUPTED, "")
    assert _manifest(built / "site") == before
    assert not (built / STAGING).exists() and not (built / OLD).exists()


def test_a_killed_build_leaves_the_site_and_the_next_build_clears_its_staging(built):
    before = _manifest(built / "site")
    build = _ticreg("build", "--today", TODAY.isoformat(), cwd=built)
    _wait_until((built / STAGING).is_dir, build, "started MkDocs")
    time.sleep(0.5)
    build.kill()  # no cleanup possible: the staging folder stays behind
    build.communicate(timeout=60)
    assert _manifest(built / "site") == before
    assert (built / STAGING).is_dir()
    (built / OLD).mkdir()
    (built / OLD / "stale.html").write_text("stale", encoding="utf-8")

    result = build_site_in(built)
    assert result.code == 0, result.stderr
    assert not (built / STAGING).exists() and not (built / OLD).exists()
    page = (built / "site" / "centers" / CENTER_ID / "index.html").read_text(encoding="utf-8")
    assert "中断测试标记" in page


def test_a_failing_build_leaves_the_previous_site(built):
    before = _manifest(built / "site")
    (built / "overrides" / "partials" / "copyright.html").write_text("{% if %}", encoding="utf-8")
    result = build_site_in(built)
    assert result.code == 3
    assert result.stderr.startswith("ticreg：内部错误（TemplateSyntaxError: ")
    assert _manifest(built / "site") == before
    assert not (built / STAGING).exists() and not (built / OLD).exists()


# --- `ticreg serve` survives ---------------------------------------------------------------


class Serve:
    """The real `ticreg serve`, its output read line by line as it comes."""

    def __init__(self, repo: Path):
        self.process = _ticreg("serve", "--port", "0", "--today", TODAY.isoformat(), "--interval", "0.2", cwd=repo)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        address = self.wait_for(r"预览地址：(http://127\.0\.0\.1:\d+/)")
        self.address = re.search(r"http://127\.0\.0\.1:\d+/", address).group(0)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 180) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                assert self.process.poll() is None, f"serve ended: {self.seen} {self.process.stderr.read()}"
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"serve never printed {pattern!r}; it printed {self.seen}")

    def fetch(self, path: str) -> str:
        with urllib.request.urlopen(self.address + path, timeout=10) as response:  # the local preview only
            return response.read().decode("utf-8")

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=30)
        return self.process.stderr.read()


def test_serve_keeps_the_last_good_site_through_any_failed_rebuild(tmp_path):
    repo = copy_site_inputs(tmp_path / "repo")
    footer = repo / "overrides" / "partials" / "copyright.html"
    good_footer = footer.read_text(encoding="utf-8")
    center = repo / "registry" / "centers" / f"{CENTER_ID}.yml"
    good_center = center.read_text(encoding="utf-8")
    page = f"centers/{CENTER_ID}/"
    serve = Serve(repo)
    try:
        served = serve.fetch(page)
        assert "晋城市煤层气高效开发技术创新中心" in served
        kept = "；继续提供上一次成功构建的网站。$"

        # An internal error inside MkDocs (Jinja cannot parse the template).
        footer.write_text("{% if %}", encoding="utf-8")
        line = serve.wait_for(kept)
        assert line.startswith("ticreg：内部错误（TemplateSyntaxError: Expected an expression"), line
        assert serve.fetch(page) == served

        # A RecursionError (a template that calls itself forever).
        footer.write_text("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", encoding="utf-8")
        line = serve.wait_for(kept)
        assert line.startswith("ticreg：内部错误（RecursionError: maximum recursion depth exceeded"), line
        assert serve.fetch(page) == served

        # A registry that does not validate.
        center.write_text(good_center + "history: [\n", encoding="utf-8")
        line = serve.wait_for(kept)
        assert "网站未构建" in line, line
        assert serve.fetch(page) == served

        # Fixed: the next change is built and served.
        footer.write_text(good_footer, encoding="utf-8")
        center.write_text(good_center.replace("围绕沁水盆地南部", "修复后的标记围绕沁水盆地南部"), encoding="utf-8")
        serve.wait_for(r"^已重新构建：")
        assert "修复后的标记" in serve.fetch(page)
        assert serve.process.poll() is None
    finally:
        err = serve.stop()
    assert "Traceback" not in err and not any("Traceback" in line for line in serve.seen)
    assert not (repo / STAGING).exists() and not (repo / OLD).exists()


def test_serve_prints_an_internal_errors_message_on_one_line_and_escaped():
    from ticreg.site.serve import _one_line

    assert _one_line(ValueError("模板\n第 3 行\x1b]0;伪造标题\x07 \u202e反向")) == "模板 第 3 行\\x1b]0;伪造标题\\x07 \\u202e反向"
