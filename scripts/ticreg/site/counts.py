"""Counts of centers by category, cluster, county, state and year: home and statistics share them.

Every list is in policy.yml order (or the state machine's), zeros included,
so a chart shows each cluster and county even before it has a center.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..process.machine import CENTER_STATES
from .public import CENTER_STATE_ORDER, PublicCenter


@dataclass(frozen=True)
class Count:
    id: str
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    key: str  # category / cluster / county / state / year
    title: str  # Chinese heading
    counts: tuple[Count, ...]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


def _tally(centers: list[PublicCenter], attribute: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for center in centers:
        value = getattr(center, attribute)
        if value is not None:
            out[str(value)] = out.get(str(value), 0) + 1
    return out


@dataclass
class Art14Year:
    """Art. 14 in one year: key support given and recommendations made."""

    year: int
    supported: set[str] = field(default_factory=set)  # center ids
    amount_yuan: int = 0
    recommendations: int = 0
    approved: int = 0

    @property
    def supported_centers(self) -> int:
        return len(self.supported)


def art14_by_year(centers: list[PublicCenter]) -> tuple[Art14Year, ...]:
    """Support and recommendations per year, oldest first; only years that have any."""
    years: dict[int, Art14Year] = {}
    for center in centers:
        for support in center.support:
            entry = years.setdefault(support.year, Art14Year(support.year))
            entry.supported.add(center.id)
            entry.amount_yuan += support.amount_yuan
        for recommendation in center.recommendations:
            entry = years.setdefault(recommendation.year, Art14Year(recommendation.year))
            entry.recommendations += 1
            entry.approved += recommendation.outcome == "approved"
    return tuple(years[y] for y in sorted(years))


def _major(centers: list[PublicCenter], policy) -> Breakdown:
    """Domain centers in one of Art. 7's 五大千亿级产业集群 (policy major_clusters) and in the others."""
    domain = [c for c in centers if c.cluster is not None]
    major = sum(1 for c in domain if c.major_cluster)
    return Breakdown("major", "按是否属于五大千亿级产业集群（领域类）", (
        Count("major", "五大千亿级产业集群", major),
        Count("other", "其他重点产业集群", len(domain) - major),
    ))


def breakdowns(centers: list[PublicCenter], policy) -> dict[str, Breakdown]:
    category = _tally(centers, "category")
    cluster = _tally(centers, "cluster")
    county = _tally(centers, "county_code")
    state = _tally(centers, "state")
    year = _tally(centers, "certified_year")
    years = sorted(year)
    return {
        "category": Breakdown("category", "按类别", tuple(Count(c.id, c.name, category.get(c.id, 0)) for c in policy.categories)),
        "cluster": Breakdown(
            "cluster", "按重点产业集群（领域类）", tuple(Count(c.id, c.name, cluster.get(c.id, 0)) for c in policy.clusters)
        ),
        "county": Breakdown("county", "按县（市、区）", tuple(Count(c.code, c.name, county.get(c.code, 0)) for c in policy.counties)),
        "state": Breakdown(
            "state", "按状态", tuple(Count(s, CENTER_STATES[s], state.get(s, 0)) for s in CENTER_STATE_ORDER)
        ),
        "year": Breakdown("year", "按认定年份", tuple(Count(y, f"{y}年", year[y]) for y in years)),
        "major": _major(centers, policy),
    }
