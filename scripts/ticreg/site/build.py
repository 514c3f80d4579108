"""`ticreg build` as a function: validate, write the sources, run MkDocs.

MkDocs writes a staging folder beside the site folder, swapped in only
when it is complete (``staging``): an error or Ctrl-C leaves the old site.

Used by the build and serve commands, the tests and the benchmark. "Today"
is passed in (Asia/Shanghai): it decides whether a publicity notice is still
open and the date MkDocs writes into the sitemap, nothing else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from dataclasses import dataclass
from pathlib import Path

from ..errors import RegistryHasErrors
from ..findings import Finding, has_errors
from ..registry_files import display_path
from .generate import site_data, write_sources
from .mkdocs_build import run_mkdocs
from .personal_guard import PersonalNumbersInSite, numbers_in_built_site
from .settings import CONFIG_FILE, load_site
from .staging import staged


@dataclass(frozen=True)
class BuildResult:
    sources: int  # files written into docs_dir
    centers: int
    notices: int
    warnings: list[Finding]
    site_dir: Path | None  # None with sources_only


def build_site(
    repo: Path,
    registry: Path,
    today: dt.date,
    *,
    config: str = CONFIG_FILE,
    site_dir: str = "site",
    sources_only: bool = False,
) -> BuildResult:
    """Build the site of the repository at ``repo`` (paths are relative to it)."""
    from ..validate import registry_context

    config_file = repo / config
    site = load_site(config_file, display_path(config_file, Path.cwd()))
    ctx, outcome = registry_context(registry, Path.cwd(), today=today)
    if ctx is None or has_errors(outcome.findings):
        # Nothing is published from a registry that does not validate.
        errors = [f for f in outcome.findings if f.severity == "error"]
        raise RegistryHasErrors.counted(
            display_path(registry, Path.cwd()), len(errors), "网站未构建", findings=errors, files=outcome.files
        )
    data = site_data(site, ctx, today, repo)
    sources = write_sources(data, repo / site.docs_dir)
    result = BuildResult(sources, len(data.centers), len(data.notices), outcome.findings, None)
    if sources_only:
        return result
    # MkDocs reads only the files just written: the loaded registry (about
    # 1 GB at 10,000 centers) is let go first, so the two never add up.
    del data, ctx, outcome
    gc.collect()
    target = repo / site_dir
    with staged(target) as staging:  # site/ is the old complete site until the new one is
        run_mkdocs(config_file, staging, today)
        # The sources were checked before MkDocs ran; this checks what MkDocs,
        # the theme and the search index made of them, before anything is published.
        found = numbers_in_built_site(staging, today, published_as=target)
        if found:
            raise PersonalNumbersInSite(found)
    return dataclasses.replace(result, site_dir=target)
