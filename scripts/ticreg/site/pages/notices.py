"""公示公告: the list, one page per notice, the Atom feed and the deadlines calendar.

    notices/index.md       every notice, newest first, filterable by kind
    notices/<id>.md        one notice, worded like the Bureau's own (not in nav)
    notices/feed.xml       Atom 1.0 feed of the notices
    notices/deadlines.ics  `ticreg deadlines --format ics` as of the build's today

The feed is built with ElementTree, so registry text is escaped as XML; it
carries nothing that depends on the day of the build (not the publicity
status), so its ``<updated>`` can honestly be the newest notice's date.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from ...deadlines import as_ics, deadlines
from ..notices import KINDS, OPEN, Notice
from ..render import render, zh_date

LIST_URL = "notices/"
FEED_PATH = "notices/feed.xml"
ICS_PATH = "notices/deadlines.ics"

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Chinese Standard Time: notices carry calendar dates in Asia/Shanghai.
CST_OFFSET = "+08:00"

# XML 1.0 forbids most control characters even as references; a stray one
# in registry text must not make the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def files(data):
    notices = data.notices
    by_application = _certifications_by_application(notices)
    publicity_by_application = {n.application_id: n for n in notices if n.kind == "publicity"}
    yield "notices/index.md", render_list(notices, data.site, data.today)
    for notice in notices:
        yield f"notices/{notice.id}.md", render_notice(
            notice,
            data.site,
            data.policy,
            data.today,
            certification=by_application.get(notice.application_id) if notice.kind == "publicity" else None,
            publicity=publicity_by_application.get(notice.application_id) if notice.kind == "certification" else None,
        )
    yield FEED_PATH, atom_feed(notices, data.site)
    # Bytes: the calendar's CRLF line ends must reach the file untouched.
    yield ICS_PATH, as_ics(deadlines(data.ctx, data.today), data.today).encode("utf-8")


def _certifications_by_application(notices: list[Notice]) -> dict[str, Notice]:
    return {n.application_id: n for n in notices if n.kind == "certification" and n.application_id}


def web_url(value: str | None) -> str | None:
    """``value`` if it is an http(s) address, else None: only such addresses become links."""
    if not value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"[\s<>\"'`\\]", value):
        return None
    return value


def render_list(notices: list[Notice], site, today: dt.date) -> str:
    counts = {kind: sum(1 for n in notices if n.kind == kind) for kind in KINDS}
    return render(
        "notices.md.j2",
        site=site,
        notices=notices,
        open_notices=[n for n in notices if n.kind == "publicity" and n.status == OPEN],
        kinds=[(kind, label, counts[kind]) for kind, label in KINDS.items()],
        page_url=LIST_URL,
        feed_url=FEED_PATH,
        ics_url=ICS_PATH,
        today=today,
    )


def render_notice(notice: Notice, site, policy, today: dt.date, *, certification=None, publicity=None) -> str:
    """One notice page. ``certification``: the later certification of a publicised
    application; ``publicity``: the publicity notice a certification followed."""
    return render(
        "notice.md.j2",
        site=site,
        policy=policy,
        notice=notice,
        bureau=site.settings.bureau,
        official_url=web_url(notice.notice_url),
        center_url=f"centers/{notice.center_id}/" if notice.center_id else None,
        certification=certification,
        publicity=publicity,
        page_url=notice.url,
        list_url=LIST_URL,
        today=today,
    )


# --- Atom -----------------------------------------------------------------


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00{CST_OFFSET}"


def _tag_uri(site_url: str, day: dt.date, specific: str) -> str:
    """A tag: URI (RFC 4151): stable however the page URLs are arranged later."""
    host = urlsplit(site_url).hostname or "localhost"
    return f"tag:{host},{day.isoformat()}:{specific}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        element.text = _xml_text(text)
    return element


def _summary(notice: Notice) -> str:
    """Plain text (type="text"): the facts that never change after publication."""
    parts = [f"{notice.kind_label}：{notice.subject}", f"牵头（申报）单位：{notice.unit}"]
    if notice.window is not None:
        parts.append(
            f"公示期为{len(notice.window.working_days)}个工作日，"
            f"自{zh_date(notice.window.start)}至{zh_date(notice.window.end)}"
        )
    if notice.document_number:
        parts.append(f"文号：{notice.document_number}")
    if notice.evaluation is not None:
        parts.append(f"评估结论：{notice.evaluation.outcome_label}")
    if notice.revocation is not None:
        parts.append(f"撤销理由：{notice.revocation.reason}")
    return "；".join(parts) + "。"


def atom_feed(notices: list[Notice], site) -> bytes:
    """The notices as an Atom 1.0 feed, newest first, with absolute links.

    An empty registry has no date of its own; the feed then says 1970-01-01
    rather than the build day, so it stays the same from one build to the next.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "zh-CN"})
    newest = notices[0].date if notices else dt.date(1970, 1, 1)
    _sub(feed, "id", site.url + LIST_URL)
    _sub(feed, "title", f"{site.name}·公示公告")
    _sub(feed, "subtitle", "技术创新中心的公示、认定、评估、变更与撤销公告")
    _sub(feed, "updated", _timestamp(newest))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=site.url + FEED_PATH)
    _sub(feed, "link", rel="alternate", type="text/html", href=site.url + LIST_URL)
    author = _sub(feed, "author")
    _sub(author, "name", site.settings.bureau.name)
    for notice in notices:
        entry = _sub(feed, "entry")
        _sub(entry, "id", _tag_uri(site.url, notice.date, f"notice/{notice.id}"))
        _sub(entry, "title", notice.title, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=site.url + notice.url)
        _sub(entry, "published", _timestamp(notice.date))
        _sub(entry, "updated", _timestamp(notice.date))
        _sub(entry, "category", term=notice.kind, label=notice.kind_label)
        _sub(entry, "summary", _summary(notice), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
