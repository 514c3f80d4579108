"""One page per center (centers/<id>.md): everything DOMAIN.md's "What is public" allows.

The pages are not in the navigation (mkdocs.yml ignores omitted files): the
directory links to each. Team members are never named: only the aggregate
figures that public.py computes.
"""

from __future__ import annotations

from ..render import render


def page_path(center) -> str:
    return f"centers/{center.id}.md"


def web_address(value: str | None) -> str | None:
    """The website as an href only when it is http(s). The schema already
    refuses anything else; checked again because an href is where a
    ``javascript:`` address would run."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def related_notices(centers, notices) -> dict[str, list]:
    """Center id -> its own notices plus the publicity of the application that
    certified it (a publicity notice names the application, not yet a center).
    Newest first, as collected; one pass, since a registry may hold thousands."""
    by_application = {c.application_id: c.id for c in centers}
    out: dict[str, list] = {c.id: [] for c in centers}
    for notice in notices:
        center_id = notice.center_id or by_application.get(notice.application_id)
        if center_id in out:
            out[center_id].append(notice)
    return out


def files(data):
    notices = related_notices(data.centers, data.notices)
    for center in data.centers:
        yield page_path(center), render(
            "center.md.j2",
            center=center,
            website_href=web_address(center.website),
            notices=notices[center.id],
            page_url=center.url,
        )
