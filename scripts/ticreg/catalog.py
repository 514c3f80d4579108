"""The registry of every rule: stable ID, severity, article, message, explanation.

Loader and schema problems are registered here too (with no check function),
so every finding a user can see has an entry the website's rules page lists.
Checks are small generators that yield ``Hit``\\s; the engine turns a hit into
a positioned ``Finding`` with the rule's message template.
"""

from __future__ import annotations

import inspect
import string
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar, overload

from .findings import Finding
from .personal_numbers import redact_personal_numbers
from .unprintable import visible

SEVERITIES = ("error", "warning")

# The kinds of file (or the whole registry) a check looks at.
SCOPES = ("file", "schema", "raw", "departments", "staff", "application", "center", "calendar", "registry",
          "changes",  # changes: what a pull request changes (ticreg check-changes)
          "site")  # site: the website's configuration and sources (ticreg build)

# Every placeholder a message template may use, and what it stands for.
TEMPLATE_FIELDS = {
    "actual": "文件中实际写的值（或实际的计数）",
    "expected": "规则要求的值或范围",
    "field": "出问题的字段（路径与中文名）",
    "other": "与之冲突的另一处（文件或字段）",
}


# A path into loaded data: keys and list indexes, e.g. ("history", 2, "date").
Where = tuple[str | int, ...]


@dataclass(frozen=True)
class Hit:
    """One problem a check found, before it is positioned and worded."""

    where: Where
    values: dict[str, object] = field(default_factory=dict)
    at_key: bool = False
    path: str | None = None  # for registry-wide checks: which file


def hit(where: Iterable[str | int], *, at_key: bool = False, path: str | None = None, **values: object) -> Hit:
    return Hit(tuple(where), values, at_key, path)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    article: str
    title: str
    template: str
    doc: str
    scope: tuple[str, ...]
    check: Callable[..., Iterator[Hit]] | None = None
    group: str | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(
            name for _, name, _, _ in string.Formatter().parse(self.template) if name is not None
        )

    def hits(self, *subject: object) -> Iterator[Hit]:
        """What the check finds in ``subject`` (checks_for gives only rules that have one)."""
        if self.check is None:
            raise TypeError(f"rule {self.id} has no check: its findings come from the loader or the schema layer")
        return self.check(*subject)

    def render(self, **values: object) -> str:
        shown = {k: _show(v) for k, v in values.items()}
        return self.template.format(**shown)

    def finding(self, path: str, pos: tuple[int, int], **values: object) -> Finding:
        # Any value a message echoes back may hold a personal number: mask
        # it here, once, for every rule (the personal-data rules included).
        message = redact_personal_numbers(f"{self.render(**values)}（{self.article}）")
        return Finding(path, pos[0], pos[1], self.id, self.severity, self.article, message)


def _show(value: object) -> str:
    # A value echoed from a file shows its unprintable characters as escapes;
    # line breaks are left to each output format (report.py) to show.
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(visible(str(v), keep="\r\n") for v in value)
    return visible(str(value), keep="\r\n")


RULES: dict[str, Rule] = {}

# What a rule is about, for commands that run a subset: ``ticreg record``
# checks a new history event with the "history" rules only.
GROUPS = ("history",)


# A check function: the decorator hands it back unchanged, signature and all.
Check = TypeVar("Check", bound=Callable[..., Iterator[Hit]])


@overload
def rule(
    id: str, *, severity: str, article: str, title: str, template: str,
    scope: str | tuple[str, ...], doc: str, group: str | None = None,
) -> Rule: ...


@overload
def rule(
    id: str, *, severity: str, article: str, title: str, template: str,
    scope: str | tuple[str, ...], doc: None = None, group: str | None = None,
) -> Callable[[Check], Check]: ...


def rule(
    id: str, *, severity: str, article: str, title: str, template: str,
    scope: str | tuple[str, ...], doc: str | None = None, group: str | None = None,
) -> Rule | Callable[[Check], Check]:
    """Register a rule: the one way to put a rule in the catalogue.

    With ``doc``, the rule has no check (its findings come from the loader or
    the schema layer) and the registered ``Rule`` is returned. Without it,
    ``rule(...)`` is a decorator for the check; the check's docstring is the
    explanation the website's rules page shows.
    """
    scopes = (scope,) if isinstance(scope, str) else tuple(scope)
    if id in RULES:
        raise ValueError(f"duplicate rule id {id}")
    if severity not in SEVERITIES or not set(scopes) <= set(SCOPES) or (group is not None and group not in GROUPS):
        raise ValueError(f"rule {id}: bad severity, scope or group")

    def register(check: Callable[..., Iterator[Hit]] | None, explanation: str) -> Rule:
        registered = Rule(id, severity, article, title, template, inspect.cleandoc(explanation), scopes, check, group)
        RULES[id] = registered
        return registered

    if doc is not None:
        return register(None, doc)

    def decorate(check: Check) -> Check:
        register(check, check.__doc__ or "")
        return check

    return decorate


def checks_for(scope: str) -> list[Rule]:
    return [r for r in RULES.values() if scope in r.scope and r.check is not None]


# --- loader ---------------------------------------------------------------
_DATA = "登记册数据规范"

rule("L100", severity="error", article=_DATA, scope="file", title="文件无法读取",
     template="文件无法读取：{actual}",
     doc="文件存在但无法读取（权限或磁盘问题）。")
rule("L101", severity="error", article=_DATA, scope="file", title="不是 UTF-8 编码",
     template="文件不是 UTF-8 编码（此处字节 {actual} 无法解码）；请用 UTF-8 另存，常见原因是以 GBK 保存",
     doc="登记册文件一律使用 UTF-8 编码。允许文件开头带 BOM（Windows 记事本会写入）。")
rule("L102", severity="error", article=_DATA, scope="file", title="文件过大",
     template="文件大小 {actual} 字节，超过上限 {expected} 字节",
     doc="单个文件有大小上限，防止异常文件拖垮校验；正常的申报文件只有几千字节。")
rule("L103", severity="error", article=_DATA, scope="file", title="YAML 语法错误",
     template="YAML 语法错误：{actual}",
     doc="文件无法按 YAML 解析。常见原因：用了制表符缩进、缩进不一致、值中含冒号却没加引号。")
rule("L104", severity="error", article=_DATA, scope="file", title="键重复",
     template="键“{actual}”重复，第一次出现在第 {expected} 处；请只保留一项",
     doc="同一映射中同一个键写了两次。一般的 YAML 工具会静默保留后一个，"
         "本登记册把它当作错误，以免填写的内容被悄悄丢弃。")
rule("L105", severity="error", article=_DATA, scope="file", title="使用了锚点或别名",
     template="不允许使用锚点或别名“{actual}”；请直接写出内容",
     doc="锚点（&）与别名（*）会让一处内容在多处生效，也可被用来构造指数膨胀的文件，一律不允许。")
rule("L106", severity="error", article=_DATA, scope="file", title="使用了 YAML 标签",
     template="不允许使用 YAML 标签“{actual}”",
     doc="“!!python/object”之类的标签可能让解析器执行代码。登记册从不构造对象，写了标签即报错。")
rule("L107", severity="error", article=_DATA, scope="file", title="文件为空",
     template="文件为空，没有任何内容",
     doc="文件没有内容（或只有注释）。请从模板开始填写。")
rule("L108", severity="error", article=_DATA, scope="file", title="顶层不是映射",
     template="文件顶层应为“键: 值”形式的映射，实际为{actual}",
     doc="每个登记册文件的顶层都是若干“字段: 值”，不能是列表或单个值。")
rule("L109", severity="error", article=_DATA, scope="file", title="键不是简单文本",
     template="键必须是简单文本，不能是列表或映射",
     doc="映射的键只能是一段文本。")
rule("L110", severity="error", article=_DATA, scope="file", title="多个 YAML 文档",
     template="一个文件只能有一个 YAML 文档，请删除第二个“---”及其后内容或另存为新文件",
     doc="每个文件只描述一个对象，不允许用“---”分隔多个文档。")
rule("L111", severity="error", article=_DATA, scope="file", title="符号链接",
     template="{actual} 是符号链接：登记册中只能有普通文件，符号链接既不读取也不跟随；请换成文件本身",
     doc="登记册中的每一项都必须是普通文件。符号链接可以指向登记册以外的任何文件（例如 /etc/passwd），"
         "也可以让两个路径共用一份内容，所以校验从不跟随、从不读取它，一律报错。"
         "git 中的符号链接（模式 120000）由 ticreg check-changes 以 G915 拒绝。")
rule("L112", severity="error", article=_DATA, scope="file", title="不是普通文件",
     template="{actual} 是{expected}，不是普通文件：登记册中只能有普通文件",
     doc="命名管道、套接字、设备文件等特殊文件不是登记册的内容，校验不打开它们（打开管道会一直等待），一律报错。")
rule("L113", severity="error", article=_DATA, scope="file", title="应为文件的位置是文件夹",
     template="{actual} 是文件夹，但这个位置只能是一个文件（申报、中心、节假日安排或规则参数都是单个 .yml 文件）；请删除该文件夹或换回文件",
     doc="按文件名，这里应当是一份记录（例如 applications/<部门代号>/<申报代号>.yml），实际却是文件夹。"
         "把申报文件换成 git 子模块（gitlink，模式 160000）后，检出的仓库在原处只留下一个空文件夹；"
         "悄悄跳过它就等于承认这项申报被删除了，所以不论文件夹是否为空都报错（删除本身由 "
         "ticreg check-changes 以 G903、G915 拒绝）。其他位置的空文件夹不报告：git 不记录空文件夹，"
         "它们不会进入登记册，其中也没有可读取或公开的内容。")

rule("L115", severity="error", article=_DATA, scope="file", title="含有控制字符或方向控制字符",
     template="含有不允许的不可见字符 {actual}，{expected}",
     doc="登记册文件中不允许出现控制字符（换行除外；制表符也不允许）、Unicode 方向控制字符"
         "（U+202A–U+202E、U+2066–U+2069、U+200E、U+200F、U+061C）和非字符（U+FDD0–U+FDEF、"
         "各平面的 U+xFFFE 与 U+xFFFF），无论直接写入、在双引号中以转义（如 \\e、\\u202E）写出，"
         "还是写在注释里。这些字符不显示，却能改变文本在终端、差异对比和网页上的样子："
         "ESC 可改写终端标题，回车换行可伪造持续集成的注释行，方向控制字符让文字显示的顺序"
         "与实际不同。位置指向该字符（转义写出的指向转义序列）。")
rule("L116", severity="error", article=_DATA, scope="file", title="嵌套层数过多",
     template="列表或映射嵌套到第 {actual} 层（文件顶层算第 1 层），超过上限 {expected} 层；请检查多余的“[”“{{”“- ”或缩进",
     doc="登记册文件最多只有几层嵌套（如 history 中的一条记录里的列表）。嵌套层数有上限，"
         "这是解析器的安全限制（与 MAX_FILE_BYTES 的文件大小上限一样写在加载器中，不是办法的阈值），"
         "防止成百上千层的“[”拖垮校验与网站构建。位置指向超过上限的那一层开始处。")

# --- schema ---------------------------------------------------------------
rule("S101", severity="error", article=_DATA, scope="schema", title="缺少必填字段",
     template="缺少必填字段 {field}",
     doc="模型规定的必填字段没有填写。位置指向缺少该字段的那一层映射。")
rule("S102", severity="error", article=_DATA, scope="schema", title="未知字段",
     template="未知字段 {field}：请检查拼写，允许的字段见模板和 schemas/ 中的 JSON Schema",
     doc="文件中出现了模型没有定义的字段。多半是拼写错误；未知字段一律拒绝，以免填写的内容被忽略。")
rule("S103", severity="error", article=_DATA, scope="schema", title="取值类型或格式不符",
     template="{field} 的值“{actual}”不符合要求：{expected}",
     doc="字段的值类型或格式不对，例如金额写成“300万”（应写整数元 3000000）、"
         "是非项写成“是”（应写 true 或 false）。")
rule("S104", severity="error", article=_DATA, scope="schema", title="日期无效",
     template="{field} 的日期“{actual}”无效：应为实际存在的日期，格式 YYYY-MM-DD",
     doc="日期必须写成 YYYY-MM-DD 并且真实存在，例如 2026-02-30 不存在。")
rule("S105", severity="error", article="policy.yml 清单", scope="schema", title="取值不在清单中",
     template="{field} 的值“{actual}”不在清单中，应为：{expected}",
     doc="职称、学位、单位类型、服务类型、县（市、区）等取值必须来自 registry/policy.yml 中的清单，"
         "写清单中的代号（如 full-senior），中文名见清单。")
rule("S111", severity="error", article=_DATA, scope="schema", title="数字写法不规范",
     template="{field} 的值“{actual}”写法不规范：{expected}",
     doc="金额（整数元）、面积等数字只用阿拉伯数字书写：不带正负号、千分位（逗号或下划线）、前导零，"
         "金额不带小数点，也不用科学记数法（5.6e6）、十六进制（0x55）、八进制（0o17）或 true/false。"
         "YAML 1.1 会把 5_600_000 读作 5600000、把 5600000.0 读作整数，写法不唯一的数字在审核时容易看错，"
         "因此一律拒绝，并给出应写的形式，例如 5600000。")
rule("S106", severity="error", article="第七条", scope="schema", title="产业集群不在第七条清单中",
     template="{field} 的值“{actual}”不是第七条列举的重点产业集群，应为：{expected}",
     doc="领域类中心须聚焦第七条列举的重点产业集群之一，清单见 registry/policy.yml 的 clusters。")
rule("S107", severity="error", article=_DATA, scope="schema", title="账号格式不符",
     template="{field} 的值“{actual}”不是有效的 GitHub 账号：只能用字母、数字和单个连字符，不以连字符开头或结尾，最长 39 个字符，不带 @",
     doc="申报单位账号 applicant_logins 写申报单位在代码托管平台（GitHub）上的登录名，例如 taihang-coal；"
         "不带 @，不写姓名或邮箱。只有这些账号（以及工作人员）可以为该申报记录撤回、更正等事件。")
