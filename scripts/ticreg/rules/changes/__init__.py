"""Family G: what a pull request changes (`ticreg check-changes`), G901-G924.

    paths.py          which paths a change may touch, in which order, by whom: G901-G914
    tree_entries.py   only regular files of a known kind under registry/: G915-G916
    frozen.py         submitted records change only through events; whose application: G918-G924

Importing the package registers every G rule.
"""

from . import frozen, paths, tree_entries  # noqa: F401  (importing them registers their rules)
