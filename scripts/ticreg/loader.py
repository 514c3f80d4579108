"""The one safe loader every registry file goes through.

It reads YAML *events* from libyaml (never PyYAML's constructors), so:

* no tag ever constructs an object: an explicit tag is a finding;
* anchors and aliases are findings and aliases are never expanded, which
  defuses "billion laughs" documents (a CSafeLoader subclass would ignore a
  ``compose_node`` override, so the check has to sit on the event stream);
* duplicate keys are findings instead of PyYAML's silent last-one-wins;
* every scalar stays the exact text the user wrote (YAML 1.1 would turn
  ``NO`` into False, ``01234`` into 668 and ``1:20`` into 80): the Pydantic
  models coerce by declared type, so only a field that *is* a number or a
  date is read as one;
* every mapping and sequence remembers where it and its entries start, so a
  finding from any layer points at ``path:line:col``;
* no control, bidi-control or non-character reaches the data (L115, see
  ``unprintable``), written raw, escaped in double quotes or in a comment;
* nesting is capped (L116), so every walker over loaded data, recursive or
  not, stays a few levels deep.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import yaml
from yaml import _yaml as libyaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .file_entries import FILE, LINK, entry_finding, entry_kind, open_regular
from .findings import Finding
from .catalog import RULES
from .unprintable import describe, find_refused, remedy

# A technical guard, not a rule of the measures: a real application is a few
# kilobytes, and a size cap bounds the work any one file can cause.
MAX_FILE_BYTES = 512 * 1024
# Also a parser safety limit, not a threshold of the measures (so it is not
# in policy.yml, which this loader reads like any other file): records are at
# most four levels deep, and the cap keeps recursive walkers over loaded data
# (plain, first_difference, Pydantic) far from Python's recursion limit.
MAX_NESTING = 16

# YAML 1.2 core-schema spellings of null for *plain* scalars; a quoted
# "null" stays text.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_QUOTES = frozenset({"'", '"'})

Position = tuple[int, int]

# libyaml follows YAML 1.1, where NEL, LS and PS break lines; editors, GitHub
# and YAML 1.2 do not, so positions after one would drift and a comment
# holding one would break the file. They are swapped for private-use
# stand-ins while parsing and swapped back in every string.
_YAML11_BREAKS = "\u0085\u2028\u2029"
_STAND_INS = "\uf8f0\uf8f1\uf8f2"
_HIDE_BREAKS = str.maketrans(_YAML11_BREAKS, _STAND_INS)
_SHOW_BREAKS = str.maketrans(_STAND_INS, _YAML11_BREAKS)


class PosDict(dict):
    """A mapping that remembers where it, its keys and its values start,
    and which values were written in quotes (text, never a number)."""

    __slots__ = ("pos", "key_pos", "val_pos", "quoted")

    def __init__(self, pos: Position):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Position] = {}
        self.val_pos: dict[str, Position] = {}
        self.quoted: set[str] | None = None  # made on the first quoted value


class PosList(list):
    """A sequence that remembers where it and each item start."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Position):
        super().__init__()
        self.pos = pos
        self.item_pos: list[Position] = []


@dataclass
class LoadedFile:
    path: str
    data: PosDict | None = None  # None: unreadable, empty or not a mapping (a finding says which)
    findings: list[Finding] = field(default_factory=list)
    root_pos: Position = (1, 1)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


@overload
def without_positions(node: dict[str, Any]) -> dict[str, object]: ...


@overload
def without_positions(node: list[Any]) -> list[object]: ...


@overload
def without_positions(node: object) -> object: ...


def without_positions(node: object) -> object:
    """Loaded data as plain dicts and lists (positions dropped), for comparing or re-validating."""
    if isinstance(node, dict):
        return {k: without_positions(v) for k, v in node.items()}
    if isinstance(node, list):
        return [without_positions(v) for v in node]
    return node




def locate(data: object, where: tuple, *, at_key: bool = False) -> Position:
    """Position of the node at ``where`` inside loaded data.

    A path that leaves the tree (a missing field) stops at the deepest
    container that exists: the mapping that lacks the field.
    """
    node = data
    pos: Position = getattr(data, "pos", (1, 1))
    for i, step in enumerate(where):
        last = i == len(where) - 1
        if isinstance(node, PosDict) and isinstance(step, str) and step in node:
            if last and at_key:
                return node.key_pos.get(step, pos)
            pos = node.val_pos.get(step, pos)
            node = node[step]
        elif isinstance(node, PosList) and isinstance(step, int) and 0 <= step < len(node):
            pos = node.item_pos[step]
            node = node[step]
        else:
            break
        if isinstance(node, (PosDict, PosList)):
            pos = node.pos
    return pos


def _finding(path: str, pos: Position, rule_id: str, **values: object) -> Finding:
    return RULES[rule_id].finding(path, pos, **values)


def _mark(mark: yaml.Mark | libyaml.Mark | None) -> Position:
    # libyaml marks every event; the type allows an event built without marks.
    return (1, 1) if mark is None else (mark.line + 1, mark.column + 1)


def _line_col_of_offset(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return (line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def load_file(path: Path, display_path: str) -> LoadedFile:
    """Read one registry file from disk; never raises on its content."""
    result = LoadedFile(display_path)
    try:
        kind = entry_kind(path)
        if kind != FILE:  # a link, folder or special file is reported, never opened
            result.findings.append(entry_finding(kind, path, display_path))
            return result
        with open_regular(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                result.findings.append(
                    _finding(display_path, (1, 1), "L102", actual=size, expected=MAX_FILE_BYTES)
                )
                return result
            raw = handle.read()
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # became a link after the check
            result.findings.append(entry_finding(LINK, path, display_path))
        else:
            result.findings.append(_finding(display_path, (1, 1), "L100", actual=exc.strerror or str(exc)))
        return result
    return load_bytes(raw, display_path)


def load_bytes(raw: bytes, display_path: str) -> LoadedFile:
    """Parse bytes as one registry document; never raises on any input."""
    result = LoadedFile(display_path)
    if len(raw) > MAX_FILE_BYTES:
        result.findings.append(
            _finding(display_path, (1, 1), "L102", actual=len(raw), expected=MAX_FILE_BYTES)
        )
        return result
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].removeprefix(b"\xef\xbb\xbf")  # an editor hides the BOM
        line = head.count(b"\n") + 1
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        result.findings.append(
            _finding(display_path, (line, column), "L101", actual=f"0x{raw[exc.start]:02X}")
        )
        return result
    # Windows editors write a byte-order mark; it carries no content.
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        result.findings.append(
            _finding(display_path, _line_col_of_offset(text, text.index("\x00")), "L103",
                     actual="文件含有 NUL 控制字符")
        )
        return result
    if _refuse_raw_characters(text, result):
        return result
    top = _parse(text, result)
    if isinstance(top, PosDict):
        result.data = top
    elif top is not None:
        result.findings.append(_finding(display_path, result.root_pos, "L108", actual=_kind_name(top)))
    elif not result.findings:
        result.findings.append(_finding(display_path, (1, 1), "L107"))
    return result


def _kind_name(value: object) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return "单个值"


def _refuse_raw_characters(text: str, result: LoadedFile) -> bool:
    """One L115 per line holding a refused character written as itself; True if any.

    Anywhere in the file, comments included: a bidi override in a comment
    reorders what a reviewer sees in the diff. A tab written as itself is
    YAML's business (indentation) or a value's (``_refused_in_scalar``).
    """
    found = find_refused(text, in_source=True)
    if found is None:
        return False
    last_line = 0
    while found is not None:
        offset, char = found
        pos = _line_col_of_offset(text, offset)
        if pos[0] != last_line:
            result.findings.append(_finding(result.path, pos, "L115", actual=describe(char), expected=remedy(char)))
            last_line = pos[0]
        found = find_refused(text, offset + 1, in_source=True)
    return True


# Double-quoted escapes (YAML 1.1 as libyaml reads them) and what each stands for.
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_ESCAPED_CHARS = {"0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "v": "\x0b",
                  "f": "\x0c", "r": "\r", "e": "\x1b", "N": "\x85"}


def _refused_in_scalar(event: ScalarEvent, text: str) -> tuple[str, Position] | None:
    """The first refused character in a scalar's value, and where the file shows it."""
    value = event.value
    if event.style != '"' and "\t" not in value:
        return None  # only a double-quoted scalar can hold a character its source does not
    found = find_refused(value)
    if found is None:
        return None
    char = found[1]
    start = event.start_mark.index if event.start_mark is not None else 0
    end = event.end_mark.index if event.end_mark is not None else len(text)
    offset = text.find(char, start, end)
    if offset < 0:  # written as an escape: point at the backslash
        for escape in _ESCAPE.finditer(text, start, end):
            code = escape.group(1)
            meant = chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPED_CHARS.get(code)
            if meant == char:
                offset = escape.start()
                break
    pos = _line_col_of_offset(text, offset) if offset >= 0 else _mark(event.start_mark)
    return char, pos


def _parse(text: str, result: LoadedFile) -> object:
    """The document's top node (None when there is none or it cannot be read); findings go to ``result``."""
    # Swap YAML 1.1-only line breaks out (only when present and the stand-ins
    # are not already used, so the swap back is exact).
    swapped = any(c in text for c in _YAML11_BREAKS) and not any(c in text for c in _STAND_INS)
    parser = libyaml.CParser(text.translate(_HIDE_BREAKS) if swapped else text)
    tree = _TreeBuilder(text, result, swapped)
    try:
        tree.build(parser)
    except yaml.MarkedYAMLError as exc:
        result.findings.append(_syntax_error_finding(exc, text, result.path))
        return None
    except yaml.YAMLError as exc:
        result.findings.append(_reader_error_finding(exc, text, result.path))
        return None
    finally:
        parser.dispose()
    return tree.root


class _TreeBuilder:
    """Turns libyaml's event stream into PosDict/PosList data, with findings.

    One handler per kind of event; each returns True when the document is
    over (or refused) and nothing more is to be read. A scalar or an alias
    is a finished node and is put in place at once.
    """

    __slots__ = ("text", "result", "path", "findings", "swapped", "stack", "root", "documents", "handlers")

    def __init__(self, text: str, result: LoadedFile, swapped: bool) -> None:
        self.text = text
        self.result = result
        self.path = result.path
        self.findings = result.findings
        self.swapped = swapped
        # Each open container: [container, pending_key or None, expecting_key].
        self.stack: list[list] = []
        self.root: object = None
        self.documents = 0
        # Events not listed here (stream start, document end) carry nothing.
        self.handlers: dict[type, Callable[..., bool]] = {
            ScalarEvent: self._scalar,
            MappingStartEvent: self._open,
            SequenceStartEvent: self._open,
            MappingEndEvent: self._close,
            SequenceEndEvent: self._close,
            AliasEvent: self._alias,
            DocumentStartEvent: self._document,
            StreamEndEvent: self._stream_end,
        }

    def build(self, parser: libyaml.CParser) -> None:
        # The hot loop (it runs for every event of every file): one lookup
        # and one call per event.
        handlers = self.handlers
        while True:
            event = parser.get_event()
            handler = handlers.get(type(event))
            if handler is not None and handler(event):
                return

    def _refuse_anchor_and_tag(self, event: ScalarEvent | CollectionStartEvent, pos: Position) -> None:
        if event.anchor is not None:
            self.findings.append(_finding(self.path, pos, "L105", actual="&" + event.anchor))
        if event.tag is not None and event.tag != "!":
            self.findings.append(_finding(self.path, pos, "L106", actual=event.tag))

    def _scalar(self, event: ScalarEvent) -> bool:
        mark = event.start_mark  # inline, not _mark(): this runs for every scalar of every file
        pos = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        style = event.style
        value: str | None = event.value
        if style == '"' or "\t" in event.value:
            refused = _refused_in_scalar(event, self.text)
            if refused is not None:
                self.findings.append(_finding(self.path, refused[1], "L115", actual=describe(refused[0]),
                                              expected=remedy(refused[0])))
        if event.anchor is not None or event.tag is not None:
            self._refuse_anchor_and_tag(event, pos)
        if not style and value in _NULLS:
            value = None
        elif self.swapped:
            value = event.value.translate(_SHOW_BREAKS)
        self._place(value, pos, style in _QUOTES)
        return False

    def _open(self, event: CollectionStartEvent) -> bool:
        pos = _mark(event.start_mark)
        self._refuse_anchor_and_tag(event, pos)
        stack = self.stack
        if len(stack) >= MAX_NESTING:
            self.findings.append(_finding(self.path, pos, "L116", actual=len(stack) + 1, expected=MAX_NESTING))
            self.root = None
            return True
        is_mapping = type(event) is MappingStartEvent
        node = PosDict(pos) if is_mapping else PosList(pos)
        if stack:
            _attach(stack, node, pos, self.path, self.findings)
        else:
            self.root = node
            self.result.root_pos = pos
        stack.append([node, None, is_mapping])
        return False

    def _close(self, event: CollectionEndEvent) -> bool:
        self.stack.pop()
        return False

    def _alias(self, event: AliasEvent) -> bool:
        pos = _mark(event.start_mark)
        self.findings.append(_finding(self.path, pos, "L105", actual="*" + (event.anchor or "")))
        self._place(None, pos, False)
        return False

    def _document(self, event: DocumentStartEvent) -> bool:
        self.documents += 1
        if self.documents > 1:
            self.findings.append(_finding(self.path, _mark(event.start_mark), "L110"))
            self.root = None
            return True
        return False

    def _stream_end(self, event: StreamEndEvent) -> bool:
        return True

    def _place(self, node: object, pos: Position, quoted: bool) -> None:
        """Put a finished scalar (or refused alias) where it belongs."""
        stack = self.stack
        if not stack:
            self.root = node
            self.result.root_pos = pos
            return
        # The common cases inline (this runs for every scalar of every file):
        # a value in a mapping, an item in a list.
        frame = stack[-1]
        container = frame[0]
        if frame[2]:
            _attach(stack, node, pos, self.path, self.findings)
        elif type(container) is PosList:
            container.append(node)
            container.item_pos.append(pos)
        else:
            key = frame[1]
            if key is not None:
                container[key] = node
                container.val_pos[key] = pos
                if quoted:
                    if container.quoted is None:
                        container.quoted = set()
                    container.quoted.add(key)
            frame[2] = True


def _syntax_error_finding(exc: yaml.MarkedYAMLError, text: str, path: str) -> Finding:
    # An unclosed quote or bracket is found at the end of the file; the
    # place to fix is where it opened, which libyaml gives as the context.
    problem = exc.problem or ""
    opened = "end of stream" in problem or "did not find expected ',' or" in problem
    mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
    pos = _mark(mark) if mark is not None else (1, 1)
    if "maximum nesting depth" in problem:
        # libyaml's scanner looks ahead for keys, so a thousand "[" in a
        # row trip its own cap (1,000) before the events above see level 17.
        return _finding(path, pos, "L116", actual="1000 以上", expected=MAX_NESTING)
    reason = _explain_syntax(exc.problem or "", exc.context or "", text, pos)
    return _finding(path, pos, "L103", actual=reason)


def _reader_error_finding(exc: yaml.YAMLError, text: str, path: str) -> Finding:
    # Reader errors carry a byte offset into the UTF-8 libyaml was given.
    offset = getattr(exc, "position", None)
    pos = (1, 1)
    if isinstance(offset, int):
        chars = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        pos = _line_col_of_offset(text, chars)
    reason = _explain_syntax(getattr(exc, "reason", "") or str(exc), "", text, pos)
    return _finding(path, pos, "L103", actual=reason)


def _attach(stack: list[list], node: object, pos: Position, path: str, findings: list) -> None:
    """Put a finished node into the innermost open container."""
    if not stack:
        return
    frame = stack[-1]
    container = frame[0]
    if type(container) is PosList:
        container.append(node)
        container.item_pos.append(pos)
        return
    if frame[2]:  # this node is a key
        key = node if isinstance(node, str) else None
        if key is None:
            # A list or mapping as a key, or an empty key: the entry is
            # reported once here and left out of the data.
            findings.append(_finding(path, pos, "L109"))
        elif key in container:
            first = container.key_pos[key]
            findings.append(
                _finding(path, pos, "L104", actual=key, expected=f"{first[0]}:{first[1]}")
            )
            key = None  # keep the first value, as the user sees it first
        else:
            container.key_pos[key] = pos
        frame[1] = key
        frame[2] = False
        return
    key = frame[1]
    if key is not None:
        container[key] = node
        container.val_pos[key] = pos
    frame[2] = True


_SYNTAX_HINTS = {
    "found character that cannot start any token": "发现不能作为开头的字符（值以 @、`、% 等符号开头时请加引号）",
    "mapping values are not allowed": "此处不能出现“键: 值”（检查缩进，或给含冒号的值加引号）",
    "could not find expected ':'": "缺少冒号“:”（或上一行的引号未闭合）",
    "did not find expected key": "缩进不一致，找不到应有的键",
    "did not find expected '-' indicator": "列表缩进不一致，找不到应有的“- ”",
    "did not find expected ',' or ']'": "方括号“[”未闭合，或列表项之间缺少逗号",
    "did not find expected ',' or '}'": "花括号“{”未闭合，或各项之间缺少逗号",
    "did not find expected node content": "此处缺少内容",
    "block sequence entries are not allowed": "此处不能开始列表项“- ”（检查缩进）",
    "expected <block end>": "缩进不一致",
    "found unexpected end of stream": "文件意外结束：引号未闭合",
    "found unknown escape character": "双引号中有无效的转义字符（反斜杠）",
    "control characters are not allowed": "文件含有不允许的控制字符",
    "found unexpected ':'": "出现了多余的冒号“:”（含冒号的值请加引号）",
    "did not find expected comment or line break": "值后面多了内容（含空格和冒号的值请加引号）",
    "found incompatible YAML document": "不支持的 YAML 版本声明",
    "found undefined tag handle": "使用了未定义的标签",
    "found unexpected document indicator": "引号中出现了文档分隔符“---”",
}


def _explain_syntax(problem: str, context: str, text: str, pos: Position) -> str:
    lines = text.split("\n")
    if 0 < pos[0] <= len(lines) and "\t" in lines[pos[0] - 1][: pos[1]]:
        return "发现制表符：YAML 只能用空格缩进"
    if "tab" in problem:
        return "发现制表符：YAML 只能用空格缩进"
    if "quoted scalar" in context and "end of stream" in problem:
        return "引号未闭合（从这里开始的引号一直没有结束）"
    for english, chinese in _SYNTAX_HINTS.items():
        if english in problem:
            return chinese
    # Unknown to us: say so in Chinese and keep libyaml's words for a maintainer.
    return f"无法解析（libyaml：{problem.strip() or '未知问题'}）"
