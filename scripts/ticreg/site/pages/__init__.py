"""One module per part of the site. Each has ``files(data)``, yielding
``(path under build/docs, text or bytes)``; generate.py writes them.

To add a part, write its module and list it in PAGE_MODULES.
"""

import importlib

PAGE_MODULES = (
    "home",
    "directory",
    "centers",
    "notices",
    "statistics",
    "guide",
    "rules",
    "open_data",
)


def load():
    return [importlib.import_module(f"{__name__}.{name}") for name in PAGE_MODULES]
