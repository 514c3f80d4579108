"""The generated page sources also build with Zensical (`zensical build`).

`ticreg build --sources-only` writes the Markdown sources into build/docs;
Zensical reads the same mkdocs.yml and builds them into site/. Zensical is
not a project dependency: .ci/run installs it best-effort, and without it
this test skips with the reason.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from browser.harness import BUILD_TODAY, copy_site_inputs, describe, run_ticreg

SAMPLE_CENTER = "coalbed-methane-development"


def zensical_command() -> list[str] | None:
    """How to run zensical from this venv (or PATH), or None."""
    beside_python = Path(sys.executable).parent / "zensical"
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("zensical")
    if found:
        return [found]
    probe = subprocess.run(
        [sys.executable, "-m", "zensical", "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    if probe.returncode == 0:
        return [sys.executable, "-m", "zensical"]
    return None


def test_sources_build_with_zensical(tmp_path):
    command = zensical_command()
    if command is None:
        pytest.skip(
            "zensical cannot be installed here: it is not in this venv, on PATH, or importable "
            "(.ci/run installs it with `pip install zensical` when the index offers it)"
        )
    workdir = copy_site_inputs(tmp_path)
    sources = run_ticreg("build", "--sources-only", "--today", BUILD_TODAY, cwd=workdir)
    assert sources.returncode == 0, describe(sources)
    assert not (workdir / "site").exists(), "--sources-only must not build the site"
    assert (workdir / "build" / "docs" / "index.md").is_file()

    completed = subprocess.run(
        [*command, "build", "--config-file", "mkdocs.yml"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, f"zensical build failed: {describe(completed)}"

    root = yaml.compose((workdir / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    config = {key.value: value for key, value in root.value}
    title = config["site_name"].value
    site = workdir / (config["site_dir"].value if "site_dir" in config else "site")
    index = site / "index.html"
    assert index.is_file(), f"zensical wrote no {index}"
    assert title in index.read_text(encoding="utf-8"), f"{index} lacks the site title {title!r}"

    center = yaml.safe_load((workdir / "registry" / "centers" / f"{SAMPLE_CENTER}.yml").read_text(encoding="utf-8"))
    page = site / "centers" / SAMPLE_CENTER / "index.html"
    assert page.is_file(), f"zensical wrote no {page}"
    assert center["name"] in page.read_text(encoding="utf-8")
