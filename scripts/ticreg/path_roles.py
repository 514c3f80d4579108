"""Who may change which paths of the repository: one table, used by
`ticreg check-changes` (to judge a pull request) and `ticreg codeowners`
(to route its review), so the two can never disagree.
"""

from __future__ import annotations

# Roles from least to most trusted; a path needs at least the role listed for it.
ROLE_RANK = {"applicant": 0, "department": 1, "bureau": 2, "admin": 3}

# (path prefix, least role that may add, edit or delete files there). Prefixes
# ending in "/" are folders, others are single files; "{registry}" stands for
# the registry folder relative to the repository root ("registry/" unless
# --registry says otherwise). The first line that matches decides; a path no
# line matches needs DEFAULT_ROLE.
PROTECTED_PATHS: tuple[tuple[str, str], ...] = (
    # The tooling and everything that judges the data: admins only.
    ("scripts/", "admin"),
    ("schemas/", "admin"),
    (".github/", "admin"),
    (".ci/", "admin"),
    ("tests/", "admin"),
    ("benchmarks/", "admin"),
    ("pyproject.toml", "admin"),
    # What else `pip install .` runs or installs: the setuptools backend executes setup.py, reads
    # setup.cfg and MANIFEST.in, and packs whatever lies in build/lib/ (a committed .pth there runs
    # in every later Python). Every workflow installs the tool from main, some with a write token.
    ("setup.py", "admin"),
    ("setup.cfg", "admin"),
    ("MANIFEST.in", "admin"),
    ("build/", "admin"),
    (".gitattributes", "admin"),
    (".gitignore", "admin"),  # decides which working-tree files count as added
    # The website's machinery: mkdocs.yml may name Python objects MkDocs runs,
    # theme overrides print unescaped, and scripts run in every visitor's browser.
    ("mkdocs.yml", "admin"),
    ("overrides/", "admin"),
    ("docs/assets/", "admin"),
    # Hooks run commands on every developer's machine that installs them.
    (".pre-commit-config.yaml", "admin"),
    (".pre-commit-hooks.yaml", "admin"),
    # The rules in force: thresholds, who is who, the departments, the holidays.
    ("{registry}policy.yml", "admin"),
    ("{registry}staff.yml", "admin"),
    ("{registry}departments.yml", "admin"),
    ("{registry}calendar/", "admin"),
    # Center files are written by the Bureau (certification, evaluation, revocation).
    ("{registry}centers/", "bureau"),
    # Anyone may add or edit an application file <department>/<id>.yml; which
    # events and fields each role may touch is judged per file (G911-G914).
    # Any other file under applications/ falls to DEFAULT_ROLE.
    ("{registry}applications/", "applicant"),
)

# Everything else (README.md, the website, registry/README.md, ...): staff of
# the Bureau and admins. Applicants change nothing outside their application
# files, and county staff only record reviews in application files.
DEFAULT_ROLE = "bureau"


def protected_paths(registry_prefix: str) -> tuple[tuple[str, str], ...]:
    """The table with "{registry}" filled in (``registry_prefix`` is "" or ends in "/")."""
    return tuple((prefix.replace("{registry}", registry_prefix), role) for prefix, role in PROTECTED_PATHS)




def admin_paths(registry_prefix: str) -> list[str]:
    """Every path only admins may change, registry prefix filled in."""
    return [prefix for prefix, role in protected_paths(registry_prefix) if role == "admin"]
