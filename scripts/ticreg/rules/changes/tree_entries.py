"""What a pull request may put in the registry folder (`ticreg check-changes`): G915-G916.

The counterpart of what ``ticreg validate`` refuses in a working copy (X504,
L111-L113): only regular files, each of a known kind. ``ticreg.changes``
reads each changed path's git mode at both versions; a record whose head is
not a regular file counts as deleted there, so G903 refuses it like any
deletion, and G915 names what took its place.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Iterator

from ...registry_files import LAYOUT
from ...change_set import Change
from ...engine import ChangeContext
from ...catalog import Hit, hit, rule

_DATA = "登记册数据规范"


@rule("G915", severity="error", article=_DATA, scope="changes", title="登记册中出现了非普通文件",
      template="{actual} 在变更后是{expected}，不是普通文件：登记册中只能有普通文件；原处的申报或中心文件按删除处理")
def registry_entries_are_files(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """registry/ 下的每一项都必须是普通文件（git 模式 100644 或 100755）。子模块（gitlink，模式 160000）、
    符号链接（120000）或文件夹都不是文件：检出时子模块只留下一个空文件夹，符号链接可以指向仓库以外的
    任何文件。它们一律报错，内容从不读取；原处若是已有的申报或中心文件，按删除处理，由 G903 同时报告，
    所以不能用这种办法悄悄删除一项申报。不给 --head、检查工作区时，符号链接、嵌套的 git 仓库和
    特殊文件同样报错。"""
    if change.non_file is not None:
        yield hit((), actual=change.shown, expected=change.non_file)


@rule("G916", severity="error", article=_DATA, scope="changes", title="登记册中出现了不认识的文件",
      template="登记册中不应有此文件（{actual}）；登记册中只能有：{expected}")
def registry_files_are_known(change: Change, ctx: ChangeContext) -> Iterator[Hit]:
    """新增或修改的 registry/ 下的文件必须是约定的某一类（与 ticreg validate 的 X504 相同）：
    policy.yml、departments.yml、staff.yml、applications/<部门代号>/<申报代号>.yml、
    centers/<中心代号>.yml、calendar/<年份>.yml，以及这些文件夹中的说明文件 README.md。
    隐藏文件（例如 applications/chengqu/.notes.yml）、扩展名不是 .yml 的文件、层级不对的文件
    （例如没有部门文件夹的 applications/foo.yml）一律报错，内容不读取：这样的文件不会被当作申报
    检查，却会随仓库公开。删除这样的文件不报错。"""
    if change.status == "D" or change.kind is not None or change.non_file is not None:
        return
    if not change.path.startswith(ctx.prefix):
        return
    yield hit((), actual=str(PurePosixPath(change.path[len(ctx.prefix):])), expected=LAYOUT)
