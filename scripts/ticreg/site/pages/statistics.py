"""统计 (statistics/index.md): centers by category, cluster, county, year and state;
Art. 7's 五大千亿级产业集群 and Art. 14's support and recommendations by year.

Each breakdown is drawn as an inline SVG bar chart at build time (charts.py)
and followed by the same numbers as a table, for screen readers and for
copying. The figures are as of the build's ``today``.
"""

from __future__ import annotations

from dataclasses import replace

from ..charts import bar_chart
from ..counts import Breakdown, Count, art14_by_year, breakdowns
from ..render import render

PAGE = "statistics/index.md"
KEYS = ("category", "cluster", "major", "county", "year", "state")


def with_missing_years(breakdown: Breakdown) -> Breakdown:
    """Years between the first and last certification with no center, as zeros:
    a gap in a time axis would read as if those years did not exist."""
    if not breakdown.counts:
        return breakdown
    have = {int(c.id): c for c in breakdown.counts}
    years = range(min(have), max(have) + 1)
    return replace(breakdown, counts=tuple(have.get(y) or Count(str(y), f"{y}年", 0) for y in years))


def files(data):
    counts = breakdowns(data.centers, data.policy)
    counts["year"] = with_missing_years(counts["year"])
    sections = {
        key: {
            "breakdown": counts[key],
            "chart": bar_chart(
                f"tic-chart-{key}", counts[key].title, [(c.label, c.count) for c in counts[key].counts]
            ),
        }
        for key in KEYS
    }
    major_names = [data.policy.name_of("clusters", c) for c in data.policy.major_clusters]
    yield PAGE, render("statistics.md.j2", sections=sections, total=len(data.centers), today=data.today,
                       major_names=major_names, art14=art14_by_year(data.centers))
