"""首页: what the registry is, counts by category, cluster, county and state, the latest notices."""

from __future__ import annotations

from ..counts import breakdowns
from ..render import render


def files(data):
    counts = breakdowns(data.centers, data.policy)
    latest = data.notices[: data.site.settings.latest_notices]
    yield "index.md", render(
        "home.md.j2",
        site=data.site,
        policy=data.policy,
        centers=data.centers,
        counts=[counts[key] for key in ("category", "cluster", "county", "state")],
        latest=latest,
        today=data.today,
    )
