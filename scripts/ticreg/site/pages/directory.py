"""中心名录 (centers/index.md): one table of every certified center, revoked ones included.

The table is complete without JavaScript; docs/assets/javascripts/directory.js
adds the filters (category, cluster, whether the cluster is one of Art. 7's
五大千亿级产业集群 (policy major_clusters), county, state, free text), sorting and
the live count, and keeps the filters in the query string. The filter
options come from policy.yml (and the state machine's order), so an option
exists even before any center has it. Only the date cell carries a
``data-sort-value`` (ISO): every other column sorts by its visible text.
"""

from __future__ import annotations

from ...process.machine import CENTER_STATES
from ..public import CENTER_STATE_ORDER
from ..render import render

PAGE = "centers/index.md"
PAGE_URL = "centers/"  # the directory URL MkDocs gives PAGE


def filters(policy) -> list[dict]:
    """The select controls: element id, query-string parameter, label, options (value, text)."""
    return [
        {"id": "tic-filter-category", "param": "category", "label": "类别",
         "options": [(c.id, c.name) for c in policy.categories]},
        {"id": "tic-filter-cluster", "param": "cluster", "label": "重点产业集群",
         "options": [(c.id, c.name) for c in policy.clusters]},
        {"id": "tic-filter-major", "param": "major", "label": "五大千亿级产业集群",
         "options": [("yes", "是"), ("no", "否")]},
        {"id": "tic-filter-county", "param": "county", "label": "县（市、区）",
         "options": [(c.code, c.name) for c in policy.counties]},
        {"id": "tic-filter-state", "param": "state", "label": "状态",
         "options": [(s, CENTER_STATES[s]) for s in CENTER_STATE_ORDER]},
    ]


def files(data):
    policy = data.policy
    yield PAGE, render(
        "directory.md.j2",
        centers=data.centers,
        filters=filters(policy),
        page_url=PAGE_URL,
    )
