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
  finding from any layer points at ``path:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml import _yaml as libyaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .findings import Finding
from .rules.registry import RULES

# A technical guard, not a rule of the measures: a real application is a few
# kilobytes, and a size cap bounds the work any one file can cause.
MAX_FILE_BYTES = 512 * 1024

# YAML 1.2 core-schema spellings of null for *plain* scalars; a quoted
# "null" stays text.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Position = tuple[int, int]


class PosDict(dict):
    """A mapping that remembers where it, its keys and its values start."""

    __slots__ = ("pos", "key_pos", "val_pos")

    def __init__(self, pos: Position):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Position] = {}
        self.val_pos: dict[str, Position] = {}


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
    data: object = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)


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


def _finding(path: str, pos: Position, rule_id: str, **values) -> Finding:
    return RULES[rule_id].finding(path, pos, **values)


def _mark(mark) -> Position:
    return (mark.line + 1, mark.column + 1)


def _line_col_of_offset(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    return (line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def load_file(path: Path, display_path: str) -> LoadedFile:
    """Read one registry file from disk; never raises on its content."""
    result = LoadedFile(display_path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            result.findings.append(
                _finding(display_path, (1, 1), "L102", actual=size, expected=MAX_FILE_BYTES)
            )
            return result
        raw = path.read_bytes()
    except OSError as exc:
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
    _parse(text, result)
    if result.data is None and not result.findings:
        result.findings.append(_finding(display_path, (1, 1), "L107"))
    elif result.data is not None and not isinstance(result.data, PosDict):
        result.findings.append(
            _finding(display_path, getattr(result.data, "pos", (1, 1)), "L108",
                     actual=_kind_name(result.data))
        )
        result.data = None
    return result


def _kind_name(value: object) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return "单个值"


def _parse(text: str, result: LoadedFile) -> None:
    path = result.path
    findings = result.findings
    parser = libyaml.CParser(text)
    # Each open container: [container, pending_key or None, expecting_key].
    stack: list[list] = []
    root: object = None
    documents = 0
    try:
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ScalarEvent:
                pos = (event.start_mark.line + 1, event.start_mark.column + 1)
                if event.anchor is not None:
                    findings.append(_finding(path, pos, "L105", actual="&" + event.anchor))
                if event.tag is not None and event.tag != "!":
                    findings.append(_finding(path, pos, "L106", actual=event.tag))
                value = event.value
                if not event.style and value in _NULLS:
                    value = None
                node = value
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                pos = _mark(event.start_mark)
                if event.anchor is not None:
                    findings.append(_finding(path, pos, "L105", actual="&" + event.anchor))
                if event.tag is not None and event.tag != "!":
                    findings.append(_finding(path, pos, "L106", actual=event.tag))
                node = PosDict(pos) if kind is MappingStartEvent else PosList(pos)
                if stack:
                    _attach(stack, node, pos, path, findings)
                else:
                    root = node
                stack.append([node, None, kind is MappingStartEvent])
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                continue
            elif kind is AliasEvent:
                pos = _mark(event.start_mark)
                findings.append(_finding(path, pos, "L105", actual="*" + event.anchor))
                node = None
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    findings.append(_finding(path, _mark(event.start_mark), "L110"))
                    root = None
                    return
                continue
            elif kind is StreamEndEvent:
                return
            else:
                continue
            if stack:
                _attach(stack, node, pos, path, findings)
            else:
                root = node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = _mark(mark) if mark is not None else (1, 1)
        findings.append(_finding(path, pos, "L103", actual=_explain_syntax(exc.problem or "", text, pos)))
        root = None
    except yaml.YAMLError as exc:
        offset = getattr(exc, "position", None)
        pos = _line_col_of_offset(text, offset) if isinstance(offset, int) else (1, 1)
        findings.append(_finding(path, pos, "L103", actual=_explain_syntax(str(exc), text, pos)))
        root = None
    finally:
        result.data = root
        parser.dispose()


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
        if not isinstance(node, str):
            findings.append(_finding(path, pos, "L109"))
            key = f"<复杂键 {pos[0]}:{pos[1]}>"
        else:
            key = node
        if key in container:
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
    "found character that cannot start any token": "发现不能作为开头的字符（值中含有 @ ` 等符号时请加引号）",
    "mapping values are not allowed here": "此处不能出现“键: 值”（检查缩进，或给含冒号的值加引号）",
    "mapping values are not allowed in this context": "此处不能出现“键: 值”（检查缩进，或给含冒号的值加引号）",
    "could not find expected ':'": "缺少冒号“:”",
    "did not find expected key": "缩进不一致，找不到应有的键",
    "did not find expected '-' indicator": "列表缩进不一致，找不到应有的“-”",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found unknown escape character": "双引号中有无效的转义字符（反斜杠）",
    "control characters are not allowed": "文件含有不允许的控制字符",
}


def _explain_syntax(problem: str, text: str, pos: Position) -> str:
    lines = text.split("\n")
    if 0 < pos[0] <= len(lines) and "\t" in lines[pos[0] - 1][: pos[1]]:
        return "发现制表符：YAML 只能用空格缩进"
    for english, chinese in _SYNTAX_HINTS.items():
        if english in problem:
            return chinese
    return f"YAML 语法错误（{problem.strip() or '未知'}）"
