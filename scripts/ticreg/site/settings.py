"""The site's own configuration: ``extra.tic`` in mkdocs.yml.

It lives in mkdocs.yml so that the theme (the footer's ICP filing number)
and ``ticreg build`` (the Bureau's contact details in publicity notices)
read one place, and a plain ``mkdocs build`` or ``zensical build`` of the
generated sources shows the same footer.

mkdocs.yml may carry Python tags (``!!python/name:``) for Markdown
extensions; the file is only *composed* here, never constructed, so no tag
is ever executed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import Field

from ticreg_schemas.common import F, RegistryModel, ShortText, WebAddress

from ..errors import EXIT_FINDINGS, TicregError
from ..findings import Finding
from ..loader import MAX_NESTING, PosDict, PosList
from ..catalog import RULES
from ..schema_check import validate_model

CONFIG_FILE = "mkdocs.yml"


class BureauContact(RegistryModel):
    name: ShortText = F("受理单位", "受理异议的单位，如“晋城市科学技术局”。")
    department: ShortText | None = F("承办科室", "具体承办的科室。", default=None)
    address: ShortText = F("地址", "书面异议的邮寄或送达地址。")
    postcode: ShortText | None = F("邮政编码", "六位邮政编码。", default=None)
    phone: ShortText = F("联系电话", "办公固定电话。")
    email: ShortText | None = F("电子邮箱", "单位邮箱。", default=None)


class SiteSettings(RegistryModel):
    icp_number: ShortText = F("ICP备案号", "网站的ICP备案号，显示在每页页脚。")
    icp_url: WebAddress = F("备案查询网址", "页脚备案号链接到的工信部备案查询网址。")
    bureau: BureauContact = F("异议受理", "公示公告中写明的异议受理单位与联系方式。")
    latest_notices: int = Field(default=10, ge=1, le=100, title="首页公告数", description="首页列出的最新公告条数。")


@dataclass(frozen=True)
class Site:
    """What page generation needs from mkdocs.yml."""

    name: str
    url: str  # ends with "/"
    settings: SiteSettings
    docs_dir: str  # where ticreg writes the sources MkDocs builds (not docs/)


class SiteConfigError(TicregError):
    """mkdocs.yml cannot be read or its extra.tic block is wrong."""

    exit_code = EXIT_FINDINGS

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__(f"网站配置有 {len(findings)} 个错误，网站未构建")


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _shell(node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        return PosDict(_pos(node))
    if isinstance(node, yaml.SequenceNode):
        return PosList(_pos(node))
    return node.value


def _positions(root: yaml.Node, shown: str):
    """The composed node as PosDict/PosList/str, every scalar kept as written.

    Iterative, and no deeper than the registry loader allows (L116's limit):
    a hostile mkdocs.yml with a thousand nested brackets is a finding, not a
    RecursionError.
    """
    top = _shell(root)
    stack = [(root, top, 1)]
    while stack:
        node, out, depth = stack.pop()
        if depth > MAX_NESTING:
            raise SiteConfigError(
                [RULES["W101"].finding(shown, _pos(node), actual=f"嵌套超过 {MAX_NESTING} 层")]
            )
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
                out[name] = child = _shell(value)
                out.key_pos[name] = _pos(key)
                out.val_pos[name] = _pos(value)
                if not isinstance(value, yaml.ScalarNode):
                    stack.append((value, child, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                out.append(child := _shell(item))
                out.item_pos.append(_pos(item))
                if not isinstance(item, yaml.ScalarNode):
                    stack.append((item, child, depth + 1))
    return top


def _problem(problem: str | None) -> str:
    if problem and "nesting depth" in problem:  # libyaml's own cap, at 1,000 levels
        return f"嵌套超过 {MAX_NESTING} 层"
    return problem or "YAML 语法错误"


def load_site(config: Path, shown: str = CONFIG_FILE) -> Site:
    """Read mkdocs.yml; raise SiteConfigError with positioned findings."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SiteConfigError([RULES["W101"].finding(shown, (1, 1), actual=type(exc).__name__)]) from None
    try:
        # libyaml's composer: PyYAML's pure-Python one recurses per level.
        root = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise SiteConfigError([RULES["W101"].finding(shown, pos, actual=_problem(exc.problem))]) from None
    data = _positions(root, shown) if root is not None else PosDict((1, 1))
    if not isinstance(data, PosDict):
        raise SiteConfigError([RULES["W101"].finding(shown, (1, 1), actual="顶层不是映射")])
    extra = data.get("extra")
    block = extra.get("tic") if isinstance(extra, PosDict) else None
    if not isinstance(block, PosDict):
        where = extra.pos if isinstance(extra, PosDict) else data.pos
        raise SiteConfigError([RULES["W102"].finding(shown, where, field="extra.tic（网站配置）", expected="一个映射")])
    settings, findings = validate_model(SiteSettings, block, shown, {})
    if findings or settings is None:  # no settings without findings saying why
        raise SiteConfigError(findings)
    name = data.get("site_name")
    url = data.get("site_url")
    if not isinstance(name, str) or not name:
        raise SiteConfigError([RULES["W102"].finding(shown, data.pos, field="site_name（网站名称）", expected="非空文本")])
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise SiteConfigError(
            [RULES["W102"].finding(shown, data.pos, field="site_url（网站地址）", expected="以 https:// 开头的网址")]
        )
    docs_dir = data.get("docs_dir")
    if not isinstance(docs_dir, str) or Path(docs_dir).parts[:1] in ((), ("docs",)) or Path(docs_dir).is_absolute():
        where = data.val_pos.get("docs_dir", data.pos)
        raise SiteConfigError(
            [RULES["W102"].finding(shown, where, field="docs_dir（页面源文件目录）",
                                   expected="仓库内的生成目录，如 build/docs（docs/ 只放手写页面）")]
        )
    return Site(name, url if url.endswith("/") else url + "/", settings, docs_dir)

