"""`ticreg build`: the public website, from the registry, into site/."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import report
from ..errors import EXIT_OK, RegistryHasErrors
from ._common import add_registry_option, add_today_option, registry_root, today_from

NAME = "build"
# Ctrl-C: the site folder stays the previous complete site (or, once swapped in, the new one).
INTERRUPTED = (
    "ticreg：已中断，网站未更新（网站目录保持上一次构建的内容）",
    "ticreg：已中断；网站已在中断前构建完成并替换",
)


def register(commands) -> None:
    parser = commands.add_parser(
        NAME,
        help="生成公开网站",
        description="校验登记册，把全部页面写入 mkdocs.yml 的 docs_dir（build/docs），"
        "再用 MkDocs 构建到当前目录的 site/。登记册有错误时不构建。",
    )
    add_today_option(parser, "按此日期判断公示是否期满")
    parser.add_argument("--site-dir", metavar="DIR", default="site", help="网站输出目录（默认：site）")
    parser.add_argument(
        "--sources-only", action="store_true", help="只生成页面源文件（build/docs），不运行 MkDocs；供 zensical build 等使用"
    )
    add_registry_option(parser)


def run(args) -> int:
    from ..site.build import build_site
    from ..site.settings import SiteConfigError

    today = today_from(args)
    root = registry_root(args)
    try:
        result = build_site(Path.cwd(), root, today, site_dir=args.site_dir, sources_only=args.sources_only)
    except SiteConfigError as exc:
        report.emit(exc.findings, 1, "text", sys.stdout, sys.stderr, None)
        raise
    except RegistryHasErrors as exc:
        if exc.findings:  # a file that cannot be read at all has only the message
            report.emit(exc.findings, exc.files, "text", sys.stdout, sys.stderr, None)
        raise
    warnings = len(result.warnings)
    note = f"（登记册有 {warnings} 个警告，运行 ticreg validate 查看）" if warnings else ""
    if result.site_dir is None:
        print(f"页面源文件已写入 build/docs：{result.sources} 个文件，{result.centers} 个中心，{result.notices} 条公告。{note}")
    else:
        print(
            f"网站已构建到 {args.site_dir}/：{result.centers} 个中心，{result.notices} 条公告。{note}\n"
            f"预览：运行 ticreg serve，然后在浏览器中打开 http://127.0.0.1:8000/"
        )
    return EXIT_OK
