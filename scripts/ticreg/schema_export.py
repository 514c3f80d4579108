"""`ticreg schema`: write the JSON Schema of every file kind into schemas/json/.

The models are the source; the policy's lists (clusters, counties, title
levels, ...) are written in as ``enum`` so an editor offers exactly the
values ``ticreg validate`` accepts. A test fails when the committed files
are stale and names this command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

from pydantic import Field, TypeAdapter

from ticreg_schemas import FILE_MODELS, Policy
from ticreg_schemas.application import Application

from .registry_context import load_policy

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _inject_policy_lists(node: object, policy: Policy) -> None:
    if isinstance(node, dict):
        list_name = node.get("x-policy-list")
        if list_name:
            node["enum"] = sorted(policy.ids(list_name))
        for value in node.values():
            _inject_policy_lists(value, policy)
    elif isinstance(node, list):
        for value in node:
            _inject_policy_lists(value, policy)


def _application_schema() -> dict:
    schema = TypeAdapter(Annotated[Application, Field(discriminator="kind")]).json_schema()
    schema["title"] = "申报"
    schema["description"] = "registry/applications/<组织管理部门代号>/<申报代号>.yml：一项申报。"
    return schema


def build_schemas(registry: Path) -> dict[str, str]:
    """File name -> JSON text, for every file kind."""
    policy = load_policy(registry)
    out = {}
    for kind, (model, file_name) in FILE_MODELS.items():
        schema = _application_schema() if model is None else model.model_json_schema()
        if kind != "policy":
            _inject_policy_lists(schema, policy)
        schema = {"$schema": _DRAFT, **schema}
        out[file_name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out
