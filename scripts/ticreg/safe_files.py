"""Writing registry files without losing anything another writer did.

* ``locked(path)`` holds an exclusive ``flock`` on the record file itself,
  so two ``ticreg record`` runs on one file take turns, and the second reads
  what the first wrote. The lock is on the file (no lock file): nothing is
  left in the checkout for git to see, and the kernel releases it when a
  process dies, so a crash never leaves a stale lock.
* ``LockedFile.replace`` compares the file's bytes with what the caller read
  before swapping in the new ones, so an editor or a ``git checkout`` that
  changed the file meanwhile is never overwritten: the write is refused.
  The new bytes go to a temporary sibling (fsynced, with the file's mode)
  that replaces the file in one rename.
* ``create_exclusive(path, data)`` creates a file that must not exist yet,
  complete or not at all (a hard link of a finished temporary file), so two
  runs that pick the same new name cannot overwrite each other.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import EXIT_FINDINGS, TicregError


TEMPORARY_SUFFIX = ".ticreg-tmp"


class FileChanged(TicregError):
    """The file changed after it was read: nothing is written; re-running sees the change."""

    exit_code = EXIT_FINDINGS


class LockedFile:
    def __init__(self, path: Path, shown: str, descriptor: int):
        self.path = path
        self.shown = shown
        # The replaced file and every replacement stay locked until the end:
        # a run waiting on the old inode finds it unlinked and locks the new one,
        # which is still held, so it waits for the whole write to finish.
        self._descriptors = [descriptor]

    def read(self) -> bytes:
        return self.path.read_bytes()

    def replace(self, expected: bytes, data: bytes) -> None:
        """Put ``data`` in place of the file, if it still holds ``expected``."""
        if self.read() != expected:
            raise FileChanged(
                f"{self.shown} 在本次写入期间被其他程序修改，本次改动未写入，文件保持对方修改后的内容；"
                "请检查该文件后重新运行本命令"
            )
        mode = stat.S_IMODE(os.stat(self.path).st_mode)
        descriptor, temporary = _temporary_sibling(self.path)
        self._descriptors.append(descriptor)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            _write_all(descriptor, data)
            os.fchmod(descriptor, mode)
            os.fsync(descriptor)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _sync_directory(self.path.parent)

    def release(self) -> None:
        for descriptor in self._descriptors:
            os.close(descriptor)
        self._descriptors = []


@contextlib.contextmanager
def locked(path: Path, shown: str) -> Iterator[LockedFile]:
    """Wait for, then hold, the exclusive lock of the file ``path`` names now."""
    while True:
        try:  # never through a link: the record file itself, or nothing
            descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except FileNotFoundError:
            raise FileChanged(f"{shown} 在等待写入期间被删除或改名，未作任何改动；请检查后重新运行本命令") from None
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise FileChanged(f"{shown} 在等待写入期间被换成了链接，未作任何改动；请检查后重新运行本命令") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        except BaseException:
            os.close(descriptor)
            raise
        if current is not None and os.path.samestat(os.fstat(descriptor), current):
            break
        # Replaced while we waited: the lock we got is on the old inode.
        os.close(descriptor)
    # Only a lock holder writes these: any found now was left by a run that was killed.
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{TEMPORARY_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    handle = LockedFile(path, shown, descriptor)
    try:
        yield handle
    finally:
        handle.release()


def create_exclusive(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``; FileExistsError if it exists (then nothing is written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = _temporary_sibling(path)
    try:
        _write_all(descriptor, data)
        os.fchmod(descriptor, 0o666 & ~_umask())
        os.fsync(descriptor)
        os.close(descriptor)
        descriptor = -1
        os.link(temporary, path)  # fails if path exists, atomically
    finally:
        if descriptor != -1:
            os.close(descriptor)
        os.unlink(temporary)
    _sync_directory(path.parent)


def _temporary_sibling(path: Path) -> tuple[int, str]:
    # Same folder, so the rename or link never crosses file systems.
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view):]


def _sync_directory(folder: Path) -> None:
    """Make the rename itself durable (a crash after it keeps the new name)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
