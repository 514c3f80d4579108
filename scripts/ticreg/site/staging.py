"""Publish a folder all at once: build beside it, then swap.

``staged(target)`` yields an empty staging folder beside ``target`` (same
file system, so the swap is a rename). When the block ends normally the
staging folder takes ``target``'s place; when it ends any other way (an
error, Ctrl-C) it is removed and ``target`` is untouched. A reader of
``target`` (the ``serve`` preview, a deploy step) therefore sees the
previous complete site or the new complete one, never a mixture.

On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``; where that is not
available, two renames with Ctrl-C held off between them. Builds into the
same folder take turns (a lock on the parent folder), so whatever staging
folder is found on entry was left by a killed run and is removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
from pathlib import Path
from typing import Iterator

from .. import interrupts

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_paths(target: Path) -> tuple[Path, Path]:
    """(the folder a build writes, the name the replaced folder briefly has)."""
    return target.with_name(f".{target.name}.staging"), target.with_name(f".{target.name}.old")


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    staging, old = staging_paths(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _builds_take_turns(target.parent):
        _remove(staging)
        _remove(old)
        with interrupts.cleanup_on_interrupt(lambda: _remove(staging)):
            try:
                staging.mkdir()  # after the cleanup is registered: an interrupt here leaves nothing
                yield staging
            except BaseException:
                _remove(staging)
                raise
            with interrupts.deferred():
                replaced = _swap(staging, target, old)
                interrupts.published()
        _remove(replaced)


def _swap(staging: Path, target: Path, old: Path) -> Path:
    """Put ``staging`` at ``target``; return where the replaced folder now is."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return old
    if _exchange(staging, target):
        return staging
    os.rename(target, old)
    os.rename(staging, target)
    return old


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextlib.contextmanager
def _builds_take_turns(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        path.unlink()
