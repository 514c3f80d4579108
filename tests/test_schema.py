"""The data contract: committed JSON Schemas are fresh; every field is explained in Chinese."""

from __future__ import annotations

import re
import shutil
import typing

import pytest
from pydantic import BaseModel

from conftest import REGISTRY, REPO, MiniRegistry
from ticreg.schema_check import _unwrap_model
from ticreg.schema_export import build_schemas
from ticreg_schemas import APPLICATION_MODELS, Center, Departments, Policy

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_committed_json_schemas_are_fresh():
    committed = REPO / "schemas" / "json"
    stale = [
        name
        for name, text in build_schemas(REGISTRY).items()
        if not (committed / name).is_file() or (committed / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"schemas/json/ 已过期：{stale}。请运行：ticreg schema"


def _all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo = [Policy, Departments, Center, *APPLICATION_MODELS.values()]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            for arg in [info.annotation, *typing.get_args(info.annotation)]:
                inner = _unwrap_model(arg)
                if inner is not None:
                    todo.append(inner)
    return seen


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_every_field_has_a_chinese_title_and_description(model):
    for name, info in model.model_fields.items():
        assert info.title and CJK.search(info.title), f"{model.__name__}.{name} 缺少中文标题"
        assert info.description and CJK.search(info.description), f"{model.__name__}.{name} 缺少中文说明"


@pytest.mark.parametrize("model", _all_models(), ids=lambda m: m.__name__)
def test_unknown_keys_are_forbidden(model):
    assert model.model_config.get("extra") == "forbid"


def test_policy_lists_reach_the_json_schema_as_enums():
    schema = build_schemas(REGISTRY)["application.schema.json"]
    policy = MiniRegistry.read_data(REGISTRY / "policy.yml")
    for cluster in policy["clusters"]:
        assert f'"{cluster["id"]}"' in schema


TEMPLATES = sorted((REPO / "templates").glob("*.yml"))


def test_there_is_a_template_per_file_kind():
    names = {path.name for path in TEMPLATES}
    assert {
        "application-certification.yml",
        "application-direct-certification.yml",
        "application-change.yml",
        "center.yml",
    } <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_point_editors_at_the_schema(template):
    first_line = template.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first_line)
    assert match, first_line
    assert (template.parent / match.group(1)).resolve().is_file()


def test_templates_validate_together(mini):
    """The templates refer to each other (the center to its application), so they go in as a set."""
    placed = []
    for template in TEMPLATES:
        data = mini.read_data(template)
        if template.name == "center.yml":
            target = mini.root / "centers" / f"{data['id']}.yml"
        else:
            target = mini.root / "applications" / data["organizing_department"] / f"{data['id']}.yml"
        target.parent.mkdir(parents=True, exist_ok=True)
        # The two certification templates share one example id (the application the
        # center names; the change template has its own): validate each in turn.
        shutil.copy(template, target)
        placed.append((template.name, target))
    assert len(placed) == len(TEMPLATES) >= 4

    for template in TEMPLATES:
        if template.name == "center.yml":
            continue
        data = mini.read_data(template)
        target = mini.root / "applications" / data["organizing_department"] / f"{data['id']}.yml"
        shutil.copy(template, target)
        findings = mini.check()
        assert findings == [], (template.name, findings)
