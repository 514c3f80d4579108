"""`ticreg serve`: build, serve site/ on a local port, rebuild when a source changes.

Watching is plain polling of file sizes and modification times (registry/,
docs/, overrides/, templates/, mkdocs.yml): no MkDocs plugin or livereload
machinery, so the preview is exactly what `ticreg build` publishes. A new
build is written beside the old one and swapped in (as `ticreg build` does),
so a reader never gets a half-written site; a build that fails for any
reason leaves the last good site served.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from ..errors import RegistryHasErrors, TicregError
from .. import report
from .build import build_site
from .settings import SiteConfigError

WATCHED = ("registry", "docs", "overrides", "templates", "mkdocs.yml")


def snapshot(repo: Path, registry: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every watched file: any edit, addition or removal changes it."""
    roots = [registry] + [repo / name for name in WATCHED if name != "registry"]
    state = {}
    for root in roots:
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for path in paths:
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            state[str(path)] = (info.st_size, info.st_mtime_ns)
    return state


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass


def rebuild(repo: Path, registry: Path, site_dir: str, today: dt.date, out) -> bool:
    """Build (swapped in only when complete); report why not; True when it worked.

    Any failure, an internal error included, keeps the last good site served:
    the preview outlives a bad edit, and the next change is built again."""
    try:
        result = build_site(repo, registry, today, site_dir=site_dir)
    except (SiteConfigError, RegistryHasErrors) as exc:
        if exc.findings:  # a file that cannot be read at all has only the message
            report.emit(exc.findings, getattr(exc, "files", 1), "text", out, out, None)
        reason = str(exc)
    except TicregError as exc:
        reason = str(exc)
    except Exception as exc:  # noqa: BLE001 - a preview that dies on a bug shows nothing at all
        reason = f"内部错误（{type(exc).__name__}: {_one_line(exc)}），这是本工具的缺陷，请报告给维护者"
    else:
        out.write(f"已重新构建：{result.centers} 个中心，{result.notices} 条公告。\n")
        out.flush()
        return True
    out.write(f"ticreg：{reason}；继续提供上一次成功构建的网站。\n")
    out.flush()
    return False


def _one_line(exc: BaseException) -> str:
    """The error's message on one line, anything unprintable escaped: it may quote a
    template or a record, and a raw ESC would act on the terminal."""
    text = " ".join(str(exc).split())[:500]
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def serve(
    repo: Path,
    registry: Path,
    *,
    host: str,
    port: int,
    today: Callable[[], dt.date],
    interval: float = 1.0,
    site_dir: str = "site",
    stop: threading.Event | None = None,
    out=sys.stdout,
) -> None:
    stop = stop or threading.Event()
    (repo / site_dir).mkdir(exist_ok=True)
    # Taken before the first build: an edit made while it runs (or just after
    # the address is printed) is then a change the loop sees, never missed.
    seen = snapshot(repo, registry)
    rebuild(repo, registry, site_dir, today(), out)
    handler = functools.partial(_QuietHandler, directory=str(repo / site_dir))
    server = ThreadingHTTPServer((host, port), handler)
    shown_host = f"[{host}]" if ":" in host else host
    out.write(f"预览地址：http://{shown_host}:{server.server_address[1]}/（按 Ctrl+C 停止）\n")
    out.flush()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        while not stop.wait(interval):
            now = snapshot(repo, registry)
            if now != seen:
                seen = now
                rebuild(repo, registry, site_dir, today(), out)
    finally:
        server.shutdown()
        server.server_close()
