"""Reading two versions of the repository from git, at a cost that grows with the change.

Only three kinds of git call are made, whatever the size of the registry:

* ``git diff --name-status -z --no-renames BASE [HEAD]`` lists the changed
  paths (without HEAD: against the working tree; git skips unchanged files by
  their index stat data, so it does not read them), plus
  ``git ls-files --others --exclude-standard`` for untracked files that are not
  ignored, which a pull request would add;
* ``git ls-tree`` for the few paths (or one small folder) whose content is
  needed at a revision;
* ``git cat-file --batch-check`` then ``--batch`` for all of those blobs at
  once (sizes first: a blob over the loader's size limit is never read).

Only regular files (modes 100644 and 100755) are content. A gitlink
(160000, a submodule), a symbolic link (120000) or a folder at a path is
reported by its mode (``modes``, ``working_mode``) and never read: for the
rules, a record whose head is not a regular file has been deleted.

Renames are not detected on purpose: a renamed file is the deletion of the
old path plus the addition of the new one, and a deletion is what the rules
judge. Paths travel NUL-separated and blobs by object name, so no file name
(spaces, newlines, non-ASCII) is ever quoted, split or read as an option.
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import EnvironmentFailed, UsageError
from .file_entries import open_regular

# Everything git prints is read as bytes and decoded strictly below; these
# keep it from paging, prompting or touching the index while it reads.
_GIT_ENV = {
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "LC_ALL": "C",
}

# Paths per ls-tree call, well below any command-line length limit.
_CHUNK = 500

# The git modes of a regular file; anything else is not content.
REGULAR_MODES = frozenset({"100644", "100755"})
FOLDER_MODE, SPECIAL_MODE = "040000", "special"  # SPECIAL_MODE: a pipe or the like (working tree only)
_MODE_NAMES = {"160000": "子模块（gitlink）", "120000": "符号链接", FOLDER_MODE: "文件夹", SPECIAL_MODE: "特殊文件"}


def describe_mode(mode: str) -> str:
    """A non-regular entry as messages name it."""
    return _MODE_NAMES.get(mode, f"模式为 {mode} 的 git 对象")


class GitError(EnvironmentFailed):
    """git failed for a reason that is not the user's arguments."""


@dataclass(frozen=True)
class Blob:
    """One file's content at one version; ``data`` is None when it is over the size limit."""

    data: bytes | None
    size: int


@dataclass(frozen=True)
class ChangedPath:
    path: str  # relative to the repository's top folder, with "/"
    status: str  # "A" added, "M" modified (or type changed), "D" deleted


def _run(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **_GIT_ENV}
    try:
        return subprocess.run(
            ["git", "--literal-pathspecs", "-c", "core.quotepath=off", *args],
            cwd=cwd, input=stdin, capture_output=True, env=env, check=False,
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令：check-changes 需要安装 git") from None


def _check(result: subprocess.CompletedProcess, what: str) -> bytes:
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {what} 失败：{detail[-1] if detail else result.returncode}")
    return result.stdout


def _decode_path(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # A path git stores in another encoding is still a path; show it
        # readably rather than fail (rules judge it like any other).
        return raw.decode("utf-8", "backslashreplace")


class Repository:
    """A git working copy, located from a folder inside it."""

    def __init__(self, inside: Path, max_bytes: int):
        self.max_bytes = max_bytes
        result = _run(["rev-parse", "--show-toplevel"], inside)
        if result.returncode != 0:
            raise UsageError(f"{inside} 不在 git 仓库中：check-changes 比较的是两个 git 版本")
        self.top = Path(os.fsdecode(result.stdout.rstrip(b"\n"))).resolve()

    def resolve(self, rev: str, option: str) -> str:
        """The commit a revision names, or a usage error naming the option."""
        if not rev or rev.startswith("-") or "\x00" in rev:
            raise UsageError(f"{option} 的修订版本“{rev}”无效")
        result = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], self.top)
        if result.returncode != 0:
            raise UsageError(f"{option} 的修订版本“{rev}”在本仓库中不存在（请先 git fetch，或检查拼写）")
        return result.stdout.decode("ascii").strip()

    def changed_paths(self, base: str, head: str | None) -> list[ChangedPath]:
        """What changed from ``base`` to ``head`` (None: the working tree, untracked files included)."""
        args = ["diff", "--name-status", "-z", "--no-renames", "--no-ext-diff", base]
        if head is not None:
            args.append(head)
        out = _check(_run([*args, "--"], self.top), "diff")
        fields = out.split(b"\x00")
        status: dict[str, str] = {}
        for i in range(0, len(fields) - 1, 2):
            code = fields[i].decode("ascii", "replace")[:1]
            path = _decode_path(fields[i + 1])
            # T (type change: file <-> symlink) is a modification of the path.
            status[path] = {"A": "A", "D": "D"}.get(code, "M")
        if head is None:
            others = _check(_run(["ls-files", "-z", "--others", "--exclude-standard"], self.top), "ls-files")
            for raw in others.split(b"\x00"):
                if raw:
                    # A nested repository is listed as "folder/": the folder is the entry.
                    path = _decode_path(raw).rstrip("/")
                    # Removed from the index but still on disk: changed, not new.
                    status[path] = "M" if status.get(path) == "D" else "A"
        return [ChangedPath(path, code) for path, code in sorted(status.items())]

    def blobs(self, rev: str, paths: list[str]) -> dict[str, Blob]:
        """The content of each path that is a regular file at ``rev``; others are left out."""
        return self._cat(_regular(self._entries(rev, paths)))

    def modes(self, rev: str, paths: list[str]) -> dict[str, str]:
        """The git mode of each path present at ``rev`` (e.g. "100644", "160000")."""
        return {path: mode for path, (mode, _) in self._entries(rev, paths).items()}

    def _entries(self, rev: str, paths: list[str]) -> dict[str, tuple[str, str]]:
        entries: dict[str, tuple[str, str]] = {}
        wanted = sorted(set(paths))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            out = _check(_run(["ls-tree", "-z", "--full-tree", rev, "--", *chunk], self.top), "ls-tree")
            entries.update(_parse_ls_tree(out))
        return entries

    def folder(self, rev: str, folder: str) -> dict[str, Blob]:
        """The content of every regular file directly in ``folder`` at ``rev`` (a small folder, e.g. the calendar)."""
        out = _check(_run(["ls-tree", "-z", "--full-tree", rev, "--", folder.rstrip("/") + "/"], self.top), "ls-tree")
        return self._cat(_regular(_parse_ls_tree(out)))

    def _cat(self, names: dict[str, str]) -> dict[str, Blob]:
        if not names:
            return {}
        order = list(names.items())
        stdin = "".join(f"{sha}\n" for _, sha in order).encode("ascii")
        # Sizes first, so an oversized blob is reported, never read.
        sizes = _check(_run(["cat-file", "--batch-check"], self.top, stdin), "cat-file").split(b"\n")
        blobs: dict[str, Blob] = {}
        small = []
        for (path, sha), line in zip(order, sizes):
            header = line.split(b" ")
            if len(header) < 3 or header[1] != b"blob":
                continue
            size = int(header[2])
            if size > self.max_bytes:
                blobs[path] = Blob(None, size)
            else:
                small.append((path, sha))
        if small:
            stdin = "".join(f"{sha}\n" for _, sha in small).encode("ascii")
            out = _check(_run(["cat-file", "--batch"], self.top, stdin), "cat-file")
            offset = 0
            for path, _ in small:
                header_end = out.index(b"\n", offset)
                size = int(out[offset:header_end].split(b" ")[2])
                offset = header_end + 1
                blobs[path] = Blob(out[offset : offset + size], size)
                offset += size + 1  # the content is followed by a newline
        return blobs

    def working_mode(self, path: str) -> str | None:
        """The git mode a working-tree path would have (SPECIAL_MODE for a pipe and the like), or None if absent."""
        try:
            mode = os.lstat(self.top / path).st_mode
        except OSError:
            return None
        if stat.S_ISREG(mode):
            return "100755" if mode & 0o111 else "100644"
        if stat.S_ISLNK(mode):
            return "120000"
        return FOLDER_MODE if stat.S_ISDIR(mode) else SPECIAL_MODE

    def working_file(self, path: str) -> Blob | None:
        """A regular file of the working tree, or None (absent, or a link, folder or special file: never read)."""
        if self.working_mode(path) not in REGULAR_MODES:
            return None
        try:
            with open_regular(self.top / path) as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > self.max_bytes:
                    return Blob(None, size)
                data = handle.read()
            return Blob(data, len(data))
        except OSError:
            return None


def _parse_ls_tree(out: bytes) -> dict[str, tuple[str, str]]:
    """path -> (mode, object name), for every entry of ``ls-tree -z`` output."""
    entries = {}
    for entry in out.split(b"\x00"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, _kind, sha = meta.split(b" ")
        entries[_decode_path(raw_path)] = (mode.decode("ascii"), sha.decode("ascii"))
    return entries


def _regular(entries: dict[str, tuple[str, str]]) -> dict[str, str]:
    """path -> blob name, for the regular files only (a link's target or a gitlink is never content)."""
    return {path: sha for path, (mode, sha) in entries.items() if mode in REGULAR_MODES}


def relative_to_top(path: Path, top: Path) -> PurePosixPath | None:
    """``path`` relative to the repository's top folder, or None if it is outside."""
    try:
        return PurePosixPath(path.resolve().relative_to(top).as_posix())
    except ValueError:
        return None
