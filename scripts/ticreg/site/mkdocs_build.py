"""Run MkDocs (with Material) on the generated sources, reproducibly.

Two builds of the same registry on the same day are byte-identical: the only
date MkDocs itself writes (sitemap lastmod) comes from SOURCE_DATE_EPOCH,
set here to the start of the build's ``today`` in Asia/Shanghai.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import os
from pathlib import Path

from ..errors import EnvironmentFailed
from ..today import TIMEZONE


class SiteBuildFailed(EnvironmentFailed):
    """MkDocs failed: the site's pages, templates or MkDocs itself, not the registry (validated before)."""

@contextlib.contextmanager
def _source_date(today: dt.date):
    epoch = int(dt.datetime(today.year, today.month, today.day, 12, tzinfo=TIMEZONE).timestamp())
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@contextlib.contextmanager
def _memoized_segmentation(jieba):
    """Material segments every heading and paragraph of every page with jieba;
    the same phrases (labels, headings, unit names, notice wording) recur on
    thousands of pages. Remembering each phrase's words gives the same words
    in a fraction of the time; the original function is back afterwards."""
    original = jieba.cut

    @functools.lru_cache(maxsize=500_000)
    def words(sentence, cut_all, hmm):
        return tuple(original(sentence, cut_all=cut_all, HMM=hmm))

    def cut(sentence, cut_all=False, HMM=True, use_paddle=False):
        if use_paddle or not isinstance(sentence, (str, bytes)):
            return original(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        return iter(words(sentence, cut_all, HMM))

    jieba.cut = cut
    try:
        yield
    finally:
        jieba.cut = original


class _CountWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, site_dir: Path, today: dt.date) -> None:
    """Build ``site_dir`` from mkdocs.yml; MkDocs warnings fail the build (strict)."""
    import jieba
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not news
    warnings = _CountWarnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with _source_date(today), _memoized_segmentation(jieba):
            config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
            build(config)
    except MkDocsException as exc:
        detail = "；".join(warnings.messages) or str(exc)
        raise SiteBuildFailed(f"MkDocs 构建失败：{detail}") from None
    finally:
        logger.removeHandler(warnings)
