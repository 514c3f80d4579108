"""Articles 6, 7, 9(3) and 16: category, cluster, naming, the direct path."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ticreg_schemas.application import CertificationFields, ChangeApplication, DirectCertificationApplication

from ..engine import RegistryContext
from ..catalog import Hit, hit, rule


@rule("C201", severity="error", article="第六条", scope=("application", "center"),
      title="综合类缺少专业化创新研发机构",
      template="综合类中心采取“中心（本部）+若干专业化创新研发机构”架构，列出了 {actual} 个专业化创新研发机构，应不少于 {expected} 个")
def comprehensive_institutions(model, ctx: RegistryContext) -> Iterator[Hit]:
    """综合类技术创新中心由中心（本部）和若干专业化创新研发机构组成，
    specialized_institutions 至少列出 policy.yml 中 min_specialized_institutions 个。"""
    if getattr(model, "category", None) == "comprehensive":
        minimum = ctx.policy.eligibility.min_specialized_institutions
        if len(model.specialized_institutions) < minimum:
            yield hit(("specialized_institutions",), actual=len(model.specialized_institutions), expected=minimum)


@rule("C202", severity="error", article="第七条", scope=("application", "center"),
      title="领域类未填写重点产业集群",
      template="领域类中心须聚焦第七条的重点产业集群之一，cluster 未填写；应为：{expected}")
def domain_cluster(model, ctx: RegistryContext) -> Iterator[Hit]:
    """领域类技术创新中心须在 cluster 中写明所服务的重点产业集群，取值来自 policy.yml 的 clusters
    （煤炭煤化工、钢铁铸造、煤层气、光机电、全域旅游、新能源新材料、大数据、现代农业、医药）。"""
    if getattr(model, "category", None) == "domain" and model.cluster is None:
        yield hit(("cluster",), expected=ctx.policy.labelled("clusters"))


@rule("C203", severity="warning", article="第六条、第七条", scope="application",
      title="牵头单位类型与类别不常见",
      template="{actual}类中心主要由以下单位牵头：{expected}；本申报牵头单位为“{other}”，请在审核中说明")
def usual_lead_unit(model, ctx: RegistryContext) -> Iterator[Hit]:
    """第六条：综合类主要依托高校院所或新型研发机构牵头；第七条：领域类主要由行业龙头骨干企业
    或科研优势突出的高校院所牵头。“主要”不是硬性条件，因此只作提示。清单见 policy.yml 的
    usual_lead_unit_kinds。"""
    if not isinstance(model, CertificationFields):
        return
    usual = ctx.policy.usual_lead_unit_kinds.get(model.category, [])
    if usual and model.lead_unit.unit_kind not in usual:
        yield hit(
            ("lead_unit", "unit_kind"),
            actual=ctx.policy.name_of("categories", model.category).removesuffix("类"),
            expected=[ctx.policy.name_of("unit_kinds", k) for k in usual],
            other=ctx.policy.name_of("unit_kinds", model.lead_unit.unit_kind),
        )


@lru_cache(maxsize=8)
def _name_regex(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _names(model) -> Iterator[tuple[tuple, str]]:
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
def certified_name(model, ctx: RegistryContext) -> Iterator[Hit]:
    """市技术创新中心统一命名为“晋城市XX技术创新中心”。拟定名称、中心现名称与更名后的
    新名称都须符合 policy.yml 的 naming.name_pattern。"""
    regex = _name_regex(ctx.policy.naming.name_pattern)
    for where, name in _names(model):
        if regex is not None and not regex.fullmatch(name):
            yield hit(where, actual=name, expected="晋城市XX技术创新中心")


@rule("D301", severity="error", article="第十六条", scope="application",
      title="直接认定的平台认定晚于申报",
      template="省级以上平台的认定日期 {actual} 晚于申报日期 {expected}；直接认定须以已经取得的认定为依据")
def platform_before_submission(model, ctx: RegistryContext) -> Iterator[Hit]:
    """直接认定的前提是“已认定为”省级以上重点实验室或工程技术研究中心：provincial_platform 的
    认定日期不能晚于本申报的第一条办理记录（单位申报）的日期。平台类型与级别须来自 policy.yml 的
    direct_certification 清单。"""
    if isinstance(model, DirectCertificationApplication):
        submitted = model.history[0].date
        if model.provincial_platform.certified_on > submitted:
            yield hit(
                ("provincial_platform", "certified_on"),
                actual=model.provincial_platform.certified_on.isoformat(),
                expected=submitted.isoformat(),
            )


@rule("D302", severity="error", article="第十五条", scope="application",
      title="变更申请没有变更内容",
      template="变更申请须至少填写一项变更内容：{expected}")
def change_has_content(model, ctx: RegistryContext) -> Iterator[Hit]:
    """更名、变更主要研究方向或调整重组，requested_change 中至少填写 new_name、
    new_research_directions、restructuring 之一。"""
    if isinstance(model, ChangeApplication):
        change = model.requested_change
        if change.new_name is None and change.new_research_directions is None and change.restructuring is None:
            yield hit(("requested_change",), expected=["new_name", "new_research_directions", "restructuring"])
