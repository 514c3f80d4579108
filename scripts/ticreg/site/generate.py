"""Write the site's sources: docs/ (hand-written) plus every generated page.

The output folder (build/docs, mkdocs.yml's docs_dir) is owned by this
module: files no longer produced are removed, and a file is rewritten only
when its content changed, so a rebuild touches only what moved.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from ticreg_schemas import Policy

from ..engine import RegistryContext
from ..registry_files import display_path
from ..catalog import RULES
from .notices import Notice, collect_notices
from .personal_guard import PublicationGuard
from .public import PublicCenter, public_centers
from .settings import Site, SiteConfigError

HANDWRITTEN_DIR = "docs"
# Hand-written files a person reads as text, and so checked for personal
# numbers; scripts, styles, fonts and images (vendored Mermaid, say) are
# code and pictures whose digit runs mean nothing.
_TEXT_PAGES = frozenset({".md", ".markdown", ".html", ".htm", ".txt", ".json", ".csv", ".xml", ".ics", ".yml", ".yaml"})


@dataclass(frozen=True)
class SiteData:
    """Everything a page module may read. ``ctx`` is the validated registry Context."""

    site: Site
    ctx: RegistryContext
    centers: list[PublicCenter]
    notices: list[Notice]
    today: dt.date
    repo: Path  # the repository the command runs in (templates/, schemas/json/)

    @property
    def policy(self) -> Policy:
        return self.ctx.policy


def site_data(site: Site, ctx: RegistryContext, today: dt.date, repo: Path) -> SiteData:
    centers = public_centers(ctx)
    return SiteData(site, ctx, centers, collect_notices(ctx, centers, today), today, repo)


def _generated(data: SiteData):
    """Every generated file, one at a time: at 10,000 centers, holding all
    page texts at once would cost about 450 MB."""
    from .pages import load

    for module in load():
        yield from module.files(data)


def _handwritten(repo: Path) -> dict[str, Path]:
    base = repo / HANDWRITTEN_DIR
    if not base.is_dir():
        return {}
    return {p.relative_to(base).as_posix(): p for p in sorted(base.rglob("*")) if p.is_file()}


def write_sources(data: SiteData, out_dir: Path) -> int:
    """Write build/docs; return how many files it holds.

    A file holding a personal number is never written, and the build stops
    (PersonalNumbersInSite) before anything is published."""
    handwritten = _handwritten(data.repo)
    out_dir.mkdir(parents=True, exist_ok=True)
    guard = PublicationGuard(data)
    guard.check_public_view(data.centers, data.notices)
    wanted: set[str] = set()
    clashes = []
    for path, content in _generated(data):
        if path in wanted:
            raise ValueError(f"two page modules write {path}")
        wanted.add(path)
        if path in handwritten:
            clashes.append(path)
            continue
        if guard.holds_number(display_path(out_dir / path, Path.cwd()), content):
            continue
        _write_if_changed(out_dir / path, content.encode("utf-8") if isinstance(content, str) else content)
    if clashes:
        raise SiteConfigError(
            [RULES["W103"].finding(f"{HANDWRITTEN_DIR}/{path}", (1, 1), actual=path) for path in sorted(clashes)]
        )
    for path, source in handwritten.items():
        content = source.read_bytes()
        wanted.add(path)
        shown = display_path(source, Path.cwd())
        if source.suffix.lower() in _TEXT_PAGES and guard.holds_number(shown, content, handwritten=True):
            continue
        _write_if_changed(out_dir / path, content)
    guard.refuse_if_any()
    _remove_stale(out_dir, wanted)
    return len(wanted)


def _write_if_changed(target: Path, content: bytes) -> None:
    try:
        if target.read_bytes() == content:
            return
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def _remove_stale(out_dir: Path, wanted: set[str]) -> None:
    for path in sorted(out_dir.rglob("*"), reverse=True):
        relative = path.relative_to(out_dir).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if not out_dir.exists():
        out_dir.mkdir(parents=True)


def reset(out_dir: Path) -> None:
    shutil.rmtree(out_dir, ignore_errors=True)
