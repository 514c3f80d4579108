"""Make untrusted text safe to post as GitHub-flavoured Markdown.

What GitHub would turn into something active is neutralised, the rest of the
Markdown (headings, tables, emphasis, code) keeps working:

- no raw HTML: ``<`` becomes ``&lt;``, and ``&`` is escaped unless it starts
  one of the few entities ``ticreg``'s own reports use (``&#64;`` would
  otherwise render as ``@`` and mention someone);
- no mentions or cross-references: ``@name``, ``#123`` and ``GH-123`` get a
  zero-width joiner after ``@``/``#``/``-``, so GitHub does not link them
  and nobody is notified;
- no links or images: ``[`` and ``]`` are backslash-escaped (after every
  backslash was), ``://`` and ``www.`` are broken up so that no address is
  autolinked;
- no control characters, bidirectional overrides (text that displays in
  a different order than it reads) or non-characters: each is shown as an
  escape such as ``\\u202e`` (``unprintable.visible``), line feeds and tabs
  stay.

The result shows the same characters a reader would expect, apart from the
invisible joiners.
"""

from __future__ import annotations

import re

from ..unprintable import visible

JOINER = "\u200d"  # zero-width joiner: invisible, and breaks mention and link syntax

# The entities html.escape and ticreg's report cells produce; any other `&` is escaped.
_SAFE_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#x27|#39|#124|#96);")
_MENTION = re.compile(r"(@)(?=[A-Za-z0-9_])")
_ISSUE_REFERENCE = re.compile(r"(?<!&)(#)(?=\d)")  # not the `&#124;` of a safe entity
_GH_REFERENCE = re.compile(r"\b(GH-)(?=\d)", re.IGNORECASE)
_SCHEME = re.compile(r"://")
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)


def _escape_ampersands(text: str) -> str:
    out = []
    position = 0
    for match in _SAFE_ENTITY.finditer(text):
        out.append(text[position : match.start()].replace("&", "&amp;"))
        out.append(match.group(0))
        position = match.end()
    out.append(text[position:].replace("&", "&amp;"))
    return "".join(out)


def neutralise(text: str) -> str:
    """``text`` as inert Markdown (see the module's docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = visible(text, keep="\n\t")
    text = text.replace("\\", "\\\\")
    text = _escape_ampersands(text)
    text = text.replace("<", "&lt;")
    text = text.replace("[", "\\[").replace("]", "\\]")
    text = _MENTION.sub(rf"\1{JOINER}", text)
    text = _ISSUE_REFERENCE.sub(rf"\1{JOINER}", text)
    text = _GH_REFERENCE.sub(rf"\1{JOINER}", text)
    text = _SCHEME.sub(f":{JOINER}//", text)
    return _WWW.sub(rf"\1{JOINER}.", text)


def table_cell(value: object) -> str:
    """One cell of a Markdown table: neutralised, on one line, its pipes escaped."""
    return neutralise(str(value)).replace("\n", " ").replace("|", "&#124;")
