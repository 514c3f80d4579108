"""The one Jinja2 environment every page is written with.

Autoescape is on for every template, Markdown ones included: registry text
reaches a page only as ``{{ value }}`` inside an HTML block, where Markdown
leaves it alone and the escaping makes ``<script>`` plain text. Undefined
names are errors, so a template typo fails the build instead of printing
nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

# Characters that mean something in HTML, replaced by their full-width forms
# in page *titles* only: MkDocs and Material print page.title unescaped in
# some places (and unescape it in <title>), so a title must carry no markup
# even as entities. The page body shows the exact text, escaped.
_TITLE_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀", "\\": "＼"})


def zh_date(day: dt.date | None) -> str:
    """2026-09-28 -> 2026年9月28日, the way Chinese official notices write dates."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def safe_title(text: str) -> str:
    return " ".join(str(text).translate(_TITLE_SAFE).split())


def front_matter(title: str, **meta) -> Markup:
    """YAML front matter for MkDocs: JSON strings are YAML, so any title is quoted safely."""
    lines = ["---", f"title: {json.dumps(safe_title(title), ensure_ascii=False)}"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return Markup("\n".join(lines) + "\n")


def number(value: float | int) -> str:
    """12.0 -> 12, 12.5 -> 12.5; thousands separated: 3000000 -> 3,000,000."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def rel(target: str, page: str) -> str:
    """A link from the page at site-relative directory URL ``page`` ("centers/x/")
    to ``target`` ("notices/y/", "data/centers.json"), relative so the site
    works under any base path."""
    return "../" * page.count("/") + target if target else ("../" * page.count("/") or "./")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ticreg.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["zh_date"] = zh_date
    env.filters["number"] = number
    env.filters["safe_title"] = safe_title
    env.filters["rel"] = rel
    env.globals["front_matter"] = front_matter
    return env


def render(template: str, **values) -> str:
    return environment().get_template(template).render(**values)
