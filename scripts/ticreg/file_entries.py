"""What a path in the registry folder is, found without ever following a link.

A registry holds regular files only. A symbolic link could point anywhere
(/etc/passwd, another record), a named pipe would block the reader, and a
folder where a record belongs is what a checked-out git submodule leaves in
place of the file it replaced. Each is reported as what it is (L111-L113);
none is opened, let alone read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .findings import Finding
from .catalog import RULES

FILE, FOLDER, LINK, SPECIAL = "file", "folder", "link", "special"

_SPECIAL_NAMES = (
    (stat.S_ISFIFO, "命名管道"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
)

# O_NOFOLLOW refuses a link that appears between the check and the open;
# O_NONBLOCK keeps a pipe swapped in at that moment from blocking the open.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def entry_kind(path: Path) -> str:
    """FILE, FOLDER, LINK or SPECIAL, from lstat (the link itself, never its target)."""
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return FOLDER
    return FILE if stat.S_ISREG(mode) else SPECIAL


def entry_kind_under(root: Path, relative: PurePosixPath) -> tuple[str, PurePosixPath]:
    """``entry_kind`` of ``root/relative``, or LINK and the folder when one on the way from ``root`` is a link."""
    for depth in range(1, len(relative.parts)):
        folder = PurePosixPath(*relative.parts[:depth])
        if entry_kind(root / folder) == LINK:
            return LINK, folder
    return entry_kind(root / relative), relative


def special_name(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return next((name for test, name in _SPECIAL_NAMES if test(mode)), "特殊文件")


def entry_finding(kind: str, path: Path, shown: str) -> Finding:
    """The finding for an entry that is not a regular file (``kind`` is not FILE)."""
    if kind == LINK:
        return RULES["L111"].finding(shown, (1, 1), actual=shown)
    if kind == FOLDER:
        return RULES["L113"].finding(shown, (1, 1), actual=shown.rstrip("/") + "/")
    return RULES["L112"].finding(shown, (1, 1), actual=shown, expected=special_name(path))


def open_regular(path: Path) -> BinaryIO:
    """Open a file known to be regular, refusing a link or special file swapped in since.

    Raises OSError (ELOOP for a link); the caller reports it.
    """
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(f"{path} 不是普通文件")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
