"""deploy.yml's build job, its shell steps run as GitHub Actions would (tests/workflow_runner.py).

In a copy of what `ticreg build` reads (conftest.SITE_INPUTS), the job's own
`run:` scripts validate the registry and build the site; the Pages upload is
stood in for by a check that the folder it names holds the built site. A
registry with an error stops the job before anything is uploaded.
"""

from __future__ import annotations

from pathlib import Path

from conftest import copy_site_inputs
from workflow_runner import WORKFLOWS, load_workflow, run_job


def run_build_job(repo: Path, runner_temp: Path) -> tuple[object, list[Path]]:
    uploaded: list[Path] = []

    def checkout(step, inputs):
        assert inputs == {"persist-credentials": False}

    def setup_python(step, inputs):
        assert inputs == {"python-version": "3.11"}

    def upload_pages(step, inputs):
        site = repo / inputs["path"]
        assert (site / "index.html").is_file() and (site / "notices" / "feed.xml").is_file()
        uploaded.append(site)

    result = run_job(
        load_workflow(WORKFLOWS / "deploy.yml"), "build", context={}, workspace=repo, runner_temp=runner_temp,
        uses={"actions/checkout": checkout, "actions/setup-python": setup_python,
              "actions/upload-pages-artifact": upload_pages},
    )
    return result, uploaded


def test_the_build_job_validates_builds_and_uploads_the_site(tmp_path):
    repo = copy_site_inputs(tmp_path / "repo")
    result, uploaded = run_build_job(repo, tmp_path / "runner")
    assert result.conclusion == "success", result.output()
    assert uploaded == [repo / "site"]
    assert "登记册校验：✅ 通过" in result.summary


def test_a_registry_with_an_error_is_never_uploaded(tmp_path):
    repo = copy_site_inputs(tmp_path / "repo")
    (repo / "registry" / "centers" / "sericulture.yml").write_text("id: [\n", encoding="utf-8")
    result, uploaded = run_build_job(repo, tmp_path / "runner")
    assert result.conclusion == "failure"
    assert uploaded == []
    validate = next(step for step in result.steps if step.name == "校验登记册")
    assert validate.returncode == 1 and "::error file=registry/centers/sericulture.yml" in validate.stdout
    assert [step.kind for step in result.steps][-2:] == ["skipped", "skipped"]
