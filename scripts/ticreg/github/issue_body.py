"""Read the body GitHub writes for a submitted issue form, refusing anything else.

GitHub renders a submitted form as Markdown: one ``### <label>`` heading per
field in form order, then the value; ``_No response_`` for an empty
optional field; for checkboxes one ``- [X] option`` / ``- [ ] option`` line
per option. The body is written by whoever opened the issue (and can be
edited through the API into anything), so this module trusts nothing:

* a body over :data:`MAX_BODY_BYTES`, control characters (other than line
  breaks; a tab too, as the registry's loader refuses it in a value, L115),
  bidirectional-override characters, non-characters and unpaired
  surrogates are refused before any parsing;
* resident identity numbers and mobile numbers anywhere are refused and
  shown only masked: the issue is public;
* every heading must be one of the form's labels, exactly once; missing,
  repeated and unknown headings are refused by name;
* values are kept as literal text: Markdown and HTML mean nothing here.
  Only the structure GitHub itself writes is read (the headings, the
  checkbox markers), and a dropdown's value must be one of its options.

Problems come back as :class:`Problem` values naming the form field, in
Chinese, for the comment the workflow posts on the issue.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ..personal_numbers import find_personal_numbers, redact_personal_numbers
from .issue_forms import CHECKBOXES, DROPDOWN, INPUT, Choice, Form, FormField
from ..unprintable import REFUSED

# GitHub caps an issue body at 65,536 characters; a filled form is a few
# kilobytes. The cap bounds the work one issue can cause.
MAX_BODY_BYTES = 64 * 1024
NO_RESPONSE = "_No response_"
# A non-required dropdown offers "None"; GitHub writes it as chosen.
DROPDOWN_NONE = "None"
HEADING = "### "
# Shown in problems when a heading is not one of the form's: enough to find it.
_SHOWN_HEADING_CHARS = 40

# Characters that never belong in a form value: they hide or reorder text
# (bidirectional overrides: "Trojan Source"), break lines where YAML 1.1
# would (NEL, LS, PS), or are the loader's private stand-ins for those.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FORBIDDEN_EXTRA = frozenset("\ufeff\u0085\u2028\u2029\uf8f0\uf8f1\uf8f2")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the submission; ``field`` is the form label, None for the whole form."""

    field: str | None
    message: str


@dataclass
class Submission:
    form: Form
    # field id -> str (input, textarea), Choice (dropdown), frozenset of values (checkboxes), or None (empty)
    values: dict[str, object] = field(default_factory=dict)
    # What is wrong with the values (personal numbers, hidden characters, empty required fields,
    # unknown options): reported together with the conversion's problems, in one answer.
    problems: list[Problem] = field(default_factory=list)


class Refused(Exception):
    """The body cannot be read as one of the forms; ``problems`` say why."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _bad_character(text: str) -> bool:
    for ch in text:
        if ch == "\n":
            continue
        if ch in _BIDI or ch in _FORBIDDEN_EXTRA or REFUSED.match(ch):
            return True
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return True
    return False


def shown_heading(text: str) -> str:
    """A heading the form does not have, as a problem may quote it: personal numbers
    masked, hidden characters replaced, cut to a readable length."""
    text = "".join("\ufffd" if _bad_character(ch) else ch for ch in redact_personal_numbers(text))
    return text if len(text) <= _SHOWN_HEADING_CHARS else text[:_SHOWN_HEADING_CHARS] + "…"


@dataclass
class _Section:
    heading: str
    lines: list[str]

    @property
    def text(self) -> str:
        lines = list(self.lines)
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(line.rstrip() for line in lines)


def _split(body: str) -> tuple[list[str], list[_Section]]:
    preamble: list[str] = []
    sections: list[_Section] = []
    for line in body.split("\n"):
        if line.startswith(HEADING):
            sections.append(_Section(line[len(HEADING):].strip(), []))
        elif sections:
            sections[-1].lines.append(line)
        else:
            preamble.append(line)
    return preamble, sections


_PERSONAL_NUMBER_PROBLEM = {
    "resident_id": "有居民身份证号（{}）。本议题公开可见，任何位置都不得填写身份证号：",
    "mobile": "有手机号（{}）。本议题公开可见，不得填写个人手机号，联系电话请填写单位办公电话：",
}


def _personal_numbers(where: str | None, text: str) -> list[Problem]:
    # Identity numbers first, then mobile numbers, each in order of appearance.
    found = sorted(find_personal_numbers(text), key=lambda n: n.kind != "resident_id")
    return [
        Problem(where, _PERSONAL_NUMBER_PROBLEM[n.kind].format(n.masked)
                + "请立即编辑议题删除，并请工作人员删除议题的编辑记录（旧内容仍保留在编辑记录中）")
        for n in found
    ]


def _choose_form(sections: list[_Section], forms: Sequence[Form]) -> Form | None:
    headings = {s.heading for s in sections}
    scored = sorted(((len(headings & set(f.by_label())), i) for i, f in enumerate(forms)), reverse=True)
    if not scored or scored[0][0] == 0 or len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return forms[scored[0][1]]


def _checkbox_line(line: str) -> tuple[bool, str] | None:
    for mark, checked in (("- [X] ", True), ("- [x] ", True), ("- [ ] ", False)):
        if line.startswith(mark):
            return checked, line[len(mark):].strip()
    return None


def _read_field(f: FormField, raw: str) -> tuple[object, list[Problem]]:
    """The value of one field from its section text, and any problems with it."""
    text = raw.strip()
    empty = text == "" or text == NO_RESPONSE or f.kind == DROPDOWN and text == DROPDOWN_NONE
    if f.kind == CHECKBOXES:
        return _read_checkboxes(f, "" if empty else text)
    if empty:
        return None, ([Problem(f.label, "必填，不能为空")] if f.required else [])
    if f.kind == INPUT and "\n" in text:
        return None, [Problem(f.label, "应只有一行；请删除多余的行")]
    if f.kind == DROPDOWN:
        for choice in f.choices:
            if text == choice.label:
                return choice, []
        return None, [Problem(f.label, "所选的值不是表单中的选项之一（表单可能已更新）；请编辑议题，在下拉列表中重新选择")]
    return text, []


def _read_checkboxes(f: FormField, text: str) -> tuple[object, list[Problem]]:
    labels = {c.label: c for c in f.choices}
    checked: set[str] = set()
    seen: set[str] = set()
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        parsed = _checkbox_line(line.strip())
        if parsed is None or parsed[1] not in labels:
            problems.append(Problem(f.label, f"第 {number} 行不是表单中的选项；请不要修改选项的文字"))
            continue
        is_checked, label = parsed
        if label in seen:
            problems.append(Problem(f.label, f"选项“{label}”出现了不止一次"))
            continue
        seen.add(label)
        if is_checked:
            checked.add(labels[label].value)
    for choice in f.choices:
        if choice.required and choice.value not in checked:
            problems.append(Problem(f.label, f"须勾选“{choice.label}”"))
    return frozenset(checked), problems


def parse(body: object, forms: Sequence[Form]) -> Submission:
    """The submission in ``body``, read against whichever of ``forms`` it was written from.

    Raises :class:`Refused` when the body is not a complete, well-formed copy of one form
    (with every problem found). Otherwise the submission comes back with the problems of
    its values in ``problems``, so that they can be answered together with the rest.
    """
    if not isinstance(body, str) or not body.strip():
        raise Refused([Problem(None, "议题正文为空：请用议题表单填写后提交")])
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > MAX_BODY_BYTES:
        raise Refused([Problem(None, f"议题正文过长（{size} 字节，上限 {MAX_BODY_BYTES} 字节），未作处理；请精简后重新提交")])
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    preamble, sections = _split(body)
    form = _choose_form(sections, forms)
    labels = set(form.by_label()) if form is not None else set()

    problems: list[Problem] = []
    # Personal numbers and hidden characters first, wherever they are.
    for where, text in [(None, "\n".join(preamble))] + [
        (s.heading if s.heading in labels else None, s.heading + "\n" + "\n".join(s.lines)) for s in sections
    ]:
        problems += _personal_numbers(where, text)
        if _bad_character(text):
            problems.append(Problem(where, "含有不可见的控制字符或改变文字方向的字符；请删除后重新填写（可先粘贴到记事本中再复制）"))
    if form is None:
        names = "、".join(f"“{f.name}”" for f in forms)
        problems.append(Problem(None, f"正文不是由议题表单（{names}）生成的，无法识别；请用议题表单重新提交，不要修改各项标题"))
        raise Refused(problems)
    structure: list[Problem] = []
    if "\n".join(preamble).strip():
        structure.append(Problem(None, "第一项标题之前有表单以外的内容；请删除，或用议题表单重新提交"))

    count: dict[str, int] = {}
    for s in sections:
        count[s.heading] = count.get(s.heading, 0) + 1
    for heading, n in count.items():
        if heading not in labels:
            structure.append(Problem(None, (
                f"有表单以外的标题“### {shown_heading(heading)}”；各项标题由表单生成，不能增改。"
                "填写内容中请不要以“### ”开头写一行"
            )))
        elif n > 1:
            structure.append(Problem(heading, (
                f"这一项的标题出现了 {n} 次，只能出现一次；填写内容中请不要以“### ”开头写一行"
            )))
    submission = Submission(form)
    by_heading = {s.heading: s for s in sections}
    for f in form.fields:
        if f.label not in by_heading:
            structure.append(Problem(f.label, "缺少这一项（标题被删除或修改）；请用议题表单重新提交"))
            continue
        if count[f.label] > 1:
            continue
        value, found = _read_field(f, by_heading[f.label].text)
        submission.values[f.id] = value
        problems += found
    if structure:
        raise Refused(problems + structure)
    submission.problems = problems
    return submission


def render_body(form: Form, values: dict[str, object]) -> str:
    """The body GitHub writes for ``form`` filled with ``values`` (field id -> text,
    Choice, or a set of checked values): the inverse of :func:`parse`, for tests and examples."""
    parts = []
    for f in form.fields:
        value = values.get(f.id)
        if f.kind == CHECKBOXES:
            checked = value if isinstance(value, Collection) else frozenset()
            text = "\n".join(f"- [{'X' if c.value in checked else ' '}] {c.label}" for c in f.choices)
        elif isinstance(value, Choice):
            text = value.label
        elif value is None or value == "":
            text = NO_RESPONSE
        else:
            text = str(value)
        parts.append(f"{HEADING}{f.label}\n\n{text}")
    return "\n\n".join(parts) + "\n"
