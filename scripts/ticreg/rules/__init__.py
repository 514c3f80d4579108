"""The rules: one module (or package) per rule family; the catalogue is ticreg.catalog.

A rule's ID letter is its family, and each family lives in one place, so a
rule is found from its ID alone (``FAMILIES``; tests/test_engine.py holds
every registration to it):

    eligibility.py    E  Art. 8: lead unit, IP, director, team, equipment, area, declarations
    structure.py      C  Art. 6, 7: category, cluster, usual lead units
    naming.py         N  Art. 9(3): 晋城市XX技术创新中心
    claims.py         D  Art. 15, 16 and dates: what a record states must be possible
    history.py        H  the shape of each history event (group "history")
    personal_data.py  P  resident ID numbers and personal mobile numbers
    cross_file.py     X  IDs, references and paths across the registry
    process/          F  Art. 9, 10, 14-16 over time: state tables, windows, cycles, certification links,
                         transitions, support and recommendations
    changes/          G  what a pull request changes (ticreg check-changes)
    site_config.py    W  the website's configuration and sources (ticreg build)

L (reading a file) and S (the schema) are the loader's and schema layer's,
registered in ticreg.catalog itself.
"""

import importlib

# ID letter -> the module or package (under ticreg) that registers that family.
FAMILIES: dict[str, str] = {
    "L": "catalog",
    "S": "catalog",
    "E": "rules.eligibility",
    "C": "rules.structure",
    "N": "rules.naming",
    "D": "rules.claims",
    "H": "rules.history",
    "P": "rules.personal_data",
    "X": "rules.cross_file",
    "F": "rules.process",
    "G": "rules.changes",
    "W": "rules.site_config",
}

# Every module that registers rules, in the order they load.
_MODULES = (
    "eligibility",
    "structure",
    "naming",
    "claims",
    "history",
    "personal_data",
    "cross_file",
    "process.lifecycle",
    "process.certification_links",
    "process.after_certification",
    "process.certification_refs",
    "process.change_links",
    "process.timeliness",
    "changes.paths",
    "changes.tree_entries",
    "changes.frozen",
    "site_config",
)


def load_all() -> None:
    """Import every rule module, so each registers its checks."""
    for name in _MODULES:
        importlib.import_module(f"{__name__}.{name}")
