"""The rules: one module per part of the measures; the catalogue is ticreg.catalog.

    eligibility.py    Art. 8: lead unit, IP, director, team, equipment, area, declarations
    structure.py      Art. 6, 7, 9(3), 16: category, cluster, naming, direct certification
    history.py        the shape of history events
    personal_data.py  resident ID numbers and personal mobile numbers
    cross_file.py     IDs, references and paths across the registry
    process.py        Art. 9, 14-16: histories follow the state machine
    certification_links.py  a certified application and its center agree
    changes.py        what a pull request changes (ticreg check-changes): G901-G914
    tree_entries.py   what a pull request may put in the registry folder: G915-G916
    frozen.py         submitted records change only through events; whose application: G918-G924, H703
    site_config.py    the website's configuration and sources (ticreg build): W101-W103
    dates.py          no recorded date after today: D303

A rule's ID letter is its family; ``FAMILIES`` says which modules register
each family (tests/test_engine.py holds every registration to it). Modules
follow the measures' articles rather than the letters, so a family may span
modules: the history rules (group "history") are in history.py, process.py
and frozen.py because each judges history from its own article.
"""

import importlib

# ID letter -> the modules (under ticreg, without the package) that register it.
FAMILIES: dict[str, tuple[str, ...]] = {
    "L": ("catalog",),  # the loader: a file that cannot be read as registry YAML
    "S": ("catalog",),  # the schema layer: fields, types, lists
    "E": ("rules.eligibility",),
    "C": ("rules.structure",),
    "N": ("rules.structure",),
    "D": ("rules.structure", "rules.dates"),
    "H": ("rules.history", "rules.frozen"),
    "P": ("rules.personal_data",),
    "X": ("rules.cross_file",),
    "F": ("rules.process", "rules.certification_links"),
    "G": ("rules.changes", "rules.tree_entries", "rules.frozen"),
    "W": ("rules.site_config",),
}

_MODULES = (
    "eligibility",
    "structure",
    "history",
    "personal_data",
    "cross_file",
    "process",
    "certification_links",
    "changes",
    "tree_entries",
    "frozen",
    "site_config",
    "dates",
)


def load_all() -> None:
    """Import every rule module, so each registers its checks."""
    for name in _MODULES:
        importlib.import_module(f"{__name__}.{name}")
