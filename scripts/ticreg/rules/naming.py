"""Article 9(3), family N: every center is named 晋城市XX技术创新中心."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ticreg_schemas.application import Application, CertificationFields, ChangeApplication
from ticreg_schemas.center import Center

from ..engine import RegistryContext
from ..catalog import Hit, Where, hit, rule


@lru_cache(maxsize=8)
def _name_regex(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _names(model: Application | Center) -> Iterator[tuple[Where, str]]:
    if isinstance(model, CertificationFields):
        yield ("proposed_name",), model.proposed_name
    elif isinstance(model, ChangeApplication):
        if model.requested_change.new_name is not None:
            yield ("requested_change", "new_name"), model.requested_change.new_name
    else:
        yield ("name",), model.name
        for i, event in enumerate(model.history):
            if event.new_name is not None:
                yield ("history", i, "new_name"), event.new_name


@rule("N401", severity="error", article="第九条第（三）项", scope=("application", "center"),
      title="名称不符合统一命名",
      template="名称“{actual}”不符合统一命名“{expected}”")
def certified_name(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """市技术创新中心统一命名为“晋城市XX技术创新中心”。拟定名称、中心现名称与更名后的
    新名称都须符合 policy.yml 的 naming.name_pattern。"""
    regex = _name_regex(ctx.policy.naming.name_pattern)
    for where, name in _names(model):
        if regex is not None and not regex.fullmatch(name):
            yield hit(where, actual=name, expected="晋城市XX技术创新中心")
