"""The one YAML writer of ``ticreg record``, ``ticreg new-application`` and ``ticreg intake``.

Text is written by ruamel.yaml's emitter, never by joining strings. ruamel
emits YAML 1.2, where ``yes``, ``off`` or ``1:30`` are plain text; the
registry is also read by YAML 1.1 tools (PyYAML's SafeLoader, many editors
and CI scripts), which read them as true, false and 90. So every text is
passed through one quoting guard, ``needs_quotes``: a text that a YAML 1.1
or 1.2 reader would not read back, written plain, as exactly this text is
double-quoted. The guard errs on the side of quoting: quotes never change
the value, a missing quote does.

Callers check the result anyway: ``first_faithful`` re-reads each candidate
text with the registry's loader and falls back to quoting every text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from .loader import load_bytes, without_positions

_YAML11 = yaml.resolver.Resolver()  # PyYAML's implicit types: YAML 1.1
_YAML12 = VersionedResolver(version=(1, 2))
_TEXT_TAG = "tag:yaml.org,2002:str"
# YAML 1.1 booleans and nulls in any case (PyYAML knows only three spellings of each; other readers more).
_WORDS = frozenset({"yes", "no", "y", "n", "on", "off", "true", "false", "null", "~"})
# A plain scalar may not start with these (some only before a space; quoting is harmless anyway).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(":,?[]{}#")  # PyYAML ends a flow plain scalar at any of these
# Numbers as any reader may see them: 1e3, .5, +1, 0x1F, 0o17, 1_000, 1:30 (sexagesimal).
_NUMBER_LIKE = re.compile(r"[-+]?(?:[0-9][0-9_:]*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?0[xXoObB][0-9a-fA-F_]+")


def _resolves_to_text(text: str) -> bool:
    implicit = (True, False)
    return (
        _YAML11.resolve(yaml.ScalarNode, text, implicit) == _TEXT_TAG
        and _YAML12.resolve(RuamelScalarNode, text, implicit) == _TEXT_TAG
    )


def needs_quotes(text: str, *, in_flow: bool = False) -> bool:
    """True when ``text`` written plain might not read back as this very text."""
    if text == "" or text[0].isspace() or text[-1].isspace():
        return True
    if text.lower() in _WORDS or _NUMBER_LIKE.fullmatch(text) or not _resolves_to_text(text):
        return True
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return True
    if in_flow and any(c in _FLOW_INDICATORS for c in text):
        return True  # YAML 1.1 parsers reject ":" in flow plain text, e.g. in a notice_url
    return False


@dataclass(frozen=True)
class Style:
    """How a document's keys are written, as the templates and the sample registry write them."""

    flow_lists: frozenset[str] = frozenset()  # lists written on one line: [a, b]
    flow_items: frozenset[str] = frozenset()  # lists whose mapping items are written on one line each
    quoted: frozenset[str] = frozenset()  # codes always quoted (digits that must stay text)
    codes: frozenset[str] = frozenset()  # codes (never free text): quoted only by the guard


def scalar(value: object, *, in_flow: bool, quote_all: bool = False) -> object:
    """``value`` ready for the emitter: a text the guard flags is double-quoted; a text of
    several lines is a literal block, except in a one-line mapping."""
    if not isinstance(value, str):
        return value
    if "\n" in value and not in_flow and not quote_all:
        return LiteralScalarString(value)
    if quote_all or "\n" in value or needs_quotes(value, in_flow=in_flow):
        return DoubleQuotedScalarString(value)
    return value


def node(value: object, style: Style, *, quote_all: bool, key: str | None = None, in_flow: bool = False) -> object:
    """``value`` (dicts, lists, scalars) as ruamel nodes in ``style``."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            mapping[k] = node(v, style, quote_all=quote_all, key=k, in_flow=in_flow)
        (mapping.fa.set_flow_style if in_flow else mapping.fa.set_block_style)()
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq()
        for item in value:
            one_line = in_flow or key in style.flow_items and isinstance(item, dict)
            sequence.append(node(item, style, quote_all=quote_all, in_flow=one_line))
        (sequence.fa.set_flow_style if key in style.flow_lists else sequence.fa.set_block_style)()
        return sequence
    if key in style.quoted:
        return DoubleQuotedScalarString(str(value))
    if key in style.codes:
        return scalar(value, in_flow=in_flow)
    return scalar(value, in_flow=in_flow, quote_all=quote_all)


def dump(data: object, *, sequence_step: int = 2, offset: int = 0) -> str:
    """The emitted text of ruamel nodes; long lines of Chinese text are never folded."""
    writer = YAML(typ="rt")
    writer.width = 4096
    writer.indent(mapping=2, sequence=sequence_step, offset=offset)
    out = io.StringIO()
    writer.dump(data, out)
    return out.getvalue()


def sequence_item(value: dict, style: Style, *, flow: bool, step: int, quote_all: bool) -> str:
    """One ``- ...`` item of a block sequence, its mapping on one line (``flow``) or as a block."""
    sequence = CommentedSeq([node(value, style, quote_all=quote_all, in_flow=flow)])
    sequence.fa.set_block_style()
    return dump(sequence, sequence_step=step)


def document(data: dict, style: Style, header: list[str], *, quote_all: bool) -> str:
    """A whole file: ``header`` comment lines, then ``data`` in ``style``."""
    top = CommentedMap()
    for key, value in data.items():
        top[key] = node(value, style, quote_all=quote_all, key=key)
    return "".join(line + "\n" for line in header) + dump(top, sequence_step=4, offset=2)


def one_line_scalar(value: str) -> str:
    """``value`` as it is written after ``key: `` on one line (ValueError if it takes more)."""
    text = dump(CommentedMap([("k", scalar(value, in_flow=False))]))
    if not text.startswith("k: ") or text.count("\n") != 1:
        raise ValueError("not a one-line scalar")
    return text[3:-1]


def as_loaded(value: object) -> object:
    """``value`` as the registry's loader reads it back: every scalar is text."""
    if isinstance(value, dict):
        return {k: as_loaded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_loaded(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value)
    return value


def first_faithful(candidate: Callable[[bool], str], expected: object, shown: str) -> str | None:
    """The first of ``candidate(quote_all=False)``, ``candidate(quote_all=True)`` that the
    registry's loader reads back as exactly ``expected``; None if neither does."""
    for quote_all in (False, True):
        text = candidate(quote_all)
        reread = load_bytes(text.encode("utf-8"), shown)
        if reread.ok and without_positions(reread.data) == expected:
            return text
    return None
