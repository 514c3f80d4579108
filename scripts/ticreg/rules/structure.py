"""Articles 6 and 7, family C: the two categories, the cluster and the usual lead units."""

from __future__ import annotations

from typing import Iterator

from ticreg_schemas.application import Application, CertificationFields
from ticreg_schemas.center import Center

from ..engine import RegistryContext
from ..catalog import Hit, hit, rule


@rule("C201", severity="error", article="第六条", scope=("application", "center"),
      title="综合类缺少专业化创新研发机构",
      template="综合类中心采取“中心（本部）+若干专业化创新研发机构”架构，列出了 {actual} 个专业化创新研发机构，应不少于 {expected} 个")
def comprehensive_institutions(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """综合类技术创新中心由中心（本部）和若干专业化创新研发机构组成，
    specialized_institutions 至少列出 policy.yml 中 min_specialized_institutions 个。"""
    if isinstance(model, (CertificationFields, Center)) and model.category == "comprehensive":
        minimum = ctx.policy.eligibility.min_specialized_institutions
        if len(model.specialized_institutions) < minimum:
            yield hit(("specialized_institutions",), actual=len(model.specialized_institutions), expected=minimum)


@rule("C202", severity="error", article="第七条", scope=("application", "center"),
      title="领域类未填写重点产业集群",
      template="领域类中心须聚焦第七条的重点产业集群之一，cluster 未填写；应为：{expected}")
def domain_cluster(model: Application | Center, ctx: RegistryContext) -> Iterator[Hit]:
    """领域类技术创新中心须在 cluster 中写明所服务的重点产业集群，取值来自 policy.yml 的 clusters
    （煤炭煤化工、钢铁铸造、煤层气、光机电、全域旅游、新能源新材料、大数据、现代农业、医药）。"""
    if isinstance(model, (CertificationFields, Center)) and model.category == "domain" and model.cluster is None:
        yield hit(("cluster",), expected=ctx.policy.labelled("clusters"))


@rule("C203", severity="warning", article="第六条、第七条", scope="application",
      title="牵头单位类型与类别不常见",
      template="{actual}类中心主要由以下单位牵头：{expected}；本申报牵头单位为“{other}”，请在审核中说明")
def usual_lead_unit(model: Application, ctx: RegistryContext) -> Iterator[Hit]:
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
