"""规则: every rule `ticreg validate`, `check-changes` and `build` can report, by family.

A finding names its rule (E101); the page gives each rule an anchor
``rule-E101`` so a report or a pull-request comment can link straight to
its explanation. The explanation is the check's docstring: the page and the
code cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...rules import load_all
from ...catalog import RULES, Rule
from ..render import render

PAGE_URL = "rules/"

# The first letter of a rule ID is its family.
FAMILIES = {
    "L": ("文件读取", "文件能否读取、是否为合法的 UTF-8 YAML。"),
    "S": ("数据格式", "字段是否齐全、取值是否符合数据模型（JSON Schema）。"),
    "E": ("申报条件", "第八条的各项申报条件。"),
    "C": ("类别与结构", "第六、七条：类别、产业集群、专业化创新研发机构。"),
    "N": ("命名", "第九条第（三）项的统一命名。"),
    "D": ("申报事实", "第十五、十六条：直接认定所依据的平台、变更申请的变更内容；所记日期不晚于今天。"),
    "H": ("办理记录", "办理记录中每个事件的字段。"),
    "P": ("个人信息", "身份证号码与个人手机号不得公开。"),
    "X": ("文件之间", "代号唯一、引用能找到、文件放在正确的位置。"),
    "F": ("办理程序", "第九、十四、十五、十六条：办理记录须符合状态表，公示期与评估周期。"),
    "G": ("变更与拉取请求", "ticreg check-changes：拉取请求只能追加记录，且只能由有权限的角色记录。"),
    "W": ("网站", "ticreg build：网站配置与页面源文件。"),
}

SEVERITY_LABELS = {"error": "错误", "warning": "警告"}

_CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class RuleView:
    id: str
    severity: str
    severity_label: str
    article: str
    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class Family:
    letter: str
    name: str
    summary: str
    rules: list[RuleView]


def paragraphs(doc: str) -> list[str]:
    """A docstring as paragraphs: its hard line breaks removed.

    Docstrings wrap Chinese text at arbitrary points; in HTML a newline is a
    space, which would split words. Lines join with no space when either side
    is Chinese, with one space between Latin text."""
    out = []
    for block in re.split(r"\n\s*\n", doc.strip()):
        text = ""
        for line in (part.strip() for part in block.splitlines()):
            if not line:
                continue
            if text and not (_CJK_OR_PUNCT.match(text[-1]) or _CJK_OR_PUNCT.match(line[0])):
                text += " "
            text += line
        if text:
            out.append(text)
    return out


def _view(rule: Rule) -> RuleView:
    return RuleView(rule.id, rule.severity, SEVERITY_LABELS[rule.severity], rule.article, rule.title,
                    paragraphs(rule.doc))


def families() -> list[Family]:
    load_all()
    grouped: dict[str, list[RuleView]] = {}
    for rule_id in sorted(RULES):
        grouped.setdefault(rule_id[0], []).append(_view(RULES[rule_id]))
    unknown = sorted(set(grouped) - set(FAMILIES))
    if unknown:
        # A new family needs a heading here; failing the build says so.
        raise ValueError(f"rules page: no family heading for rule IDs starting with {', '.join(unknown)}")
    return [Family(letter, *FAMILIES[letter], grouped[letter]) for letter in FAMILIES if letter in grouped]


def files(data):
    groups = families()
    yield "rules/index.md", render("rules.md.j2", families=groups, total=sum(len(f.rules) for f in groups),
                                   page_url=PAGE_URL)
