"""The rule engine has one home: the catalogue on the bottom floor, one way to
register a rule, typed contexts, one loop from hits to findings, groups
instead of module names, and each rule family where rules/__init__ says."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import pytest
from ticreg_schemas import Center

from conftest import REPO
from test_github_package import module_name
from ticreg import changes as changes_module
from ticreg.catalog import GROUPS, RULES, Hit, hit, rule
from ticreg.engine import ChangeContext, RegistryContext, findings_for
from ticreg.rules import FAMILIES, load_all

load_all()

PACKAGE = REPO / "scripts" / "ticreg"

# Which module may import which is tests/test_architecture.py's, from the README's layer table.


def test_the_catalogue_left_the_rules_folder():
    assert not (PACKAGE / "rules" / "registry.py").exists()
    assert (PACKAGE / "catalog.py").is_file()


# --- one way to register a rule, each rule registered in one place ----------

def registrations(package_dir: Path) -> list[tuple[str, str]]:
    """(rule ID, module) for every ``rule("ID", ...)`` call in the package, decorator or not."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        module = module_name(path, package_dir).removeprefix("ticreg.")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "rule"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.append((node.args[0].value, module))
    return found


def _inside(module: str, home: str) -> bool:
    return module == home or module.startswith(home + ".")


def test_each_rule_is_registered_once_in_the_home_of_its_family():
    found = registrations(PACKAGE)
    ids = [rule_id for rule_id, _ in found]
    assert sorted(ids) == sorted(RULES), "every rule in the catalogue is found by its ID in the source, once"
    misplaced = [(rule_id, module) for rule_id, module in found if not _inside(module, FAMILIES.get(rule_id[0], "?"))]
    assert misplaced == []


def test_a_module_holds_one_family_and_every_family_home_holds_rules():
    letters_by_module: dict[str, set[str]] = {}
    for rule_id, module in registrations(PACKAGE):
        letters_by_module.setdefault(module, set()).add(rule_id[0])
    mixed = {module: sorted(letters) for module, letters in letters_by_module.items()
             if len(letters) > 1 and module != "catalog"}  # the catalogue registers L and S, the two layers below the rules
    assert mixed == {}
    homes_with_rules = {letter for letter, home in FAMILIES.items()
                        if any(_inside(module, home) for module in letters_by_module)}
    assert homes_with_rules == set(FAMILIES)


def test_the_family_check_can_fail():
    assert not _inside("rules.changes_extra", "rules.changes")
    assert _inside("rules.changes.frozen", "rules.changes")


def test_every_rule_module_is_loaded():
    from ticreg import rules

    modules = {module for _, module in registrations(PACKAGE) if module != "catalog"}
    assert modules == {f"rules.{name}" for name in rules._MODULES}


def test_the_other_spellings_of_registration_are_gone():
    import ticreg.catalog as catalog

    assert not hasattr(catalog, "define")
    chained = []  # rule(...)(check): registration far from the check it names
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Call)
                    and isinstance(node.func.func, ast.Name) and node.func.func.id == "rule"):
                chained.append(f"{path.name}:{node.lineno}")
    assert chained == []


def test_rule_without_doc_decorates_and_with_doc_registers_at_once():
    def probe_check(model, ctx: RegistryContext):
        """探针规则的说明。"""
        yield hit(("name",))

    try:
        returned = rule("Z901", severity="warning", article="登记册数据规范", scope="center", title="探针",
                        template="{field}")(probe_check)
        assert returned is probe_check
        assert RULES["Z901"].check is probe_check and RULES["Z901"].doc == "探针规则的说明。"
        registered = rule("Z902", severity="error", article="登记册数据规范", scope="file", title="探针",
                          template="x", doc="  没有检查函数的规则。")
        assert registered is RULES["Z902"] and registered.check is None and registered.doc == "没有检查函数的规则。"
        with pytest.raises(ValueError):
            rule("Z903", severity="error", article="x", scope="center", title="x", template="x", group="nope")
        assert "Z903" not in RULES
    finally:
        RULES.pop("Z901", None)
        RULES.pop("Z902", None)


# --- groups -------------------------------------------------------------------

def test_the_history_group_is_what_record_checks_a_new_event_with():
    history = {r.id for r in RULES.values() if r.group == "history"}
    # What record used to pick by module name: process, history, and H703 in frozen.
    assert history == {"F801", "F802", "F803", "F804", "F805", "F806", "F807", "F810", "F811",
                       "F820", "F821", "F823", "F824",  # late objection, evaluator, windows not computable
                       "H701", "H702", "H703",
                       # Art. 9 stage evidence (tests/test_stage_evidence.py)
                       "H704", "H705", "H706", "H707", "H708", "H709", "H710",
                       "F816"}  # the certification number's format: record refuses it before writing
    for r in RULES.values():
        assert r.group is None or r.group in GROUPS
        if r.group == "history":
            assert r.check is not None and set(r.scope) <= {"application", "center"}


def test_record_selects_rules_by_group_not_by_module():
    source = (PACKAGE / "record.py").read_text(encoding="utf-8")
    assert "__module__" not in source
    assert 'rule.group != "history"' in source


# --- typed contexts -----------------------------------------------------------

def test_no_two_classes_are_called_context():
    named_context = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name == "Context":
                named_context.append(path.relative_to(PACKAGE).as_posix())
    assert named_context == []


@pytest.mark.parametrize("r", [r for r in RULES.values() if r.check is not None], ids=lambda r: r.id)
def test_every_check_says_which_context_it_may_use(r):
    expected = "ChangeContext" if r.scope == ("changes",) else "RegistryContext"
    annotation = inspect.signature(r.check).parameters["ctx"].annotation
    assert annotation == expected, f"{r.id}: ctx should be {expected}, is {annotation!r}"


def test_the_pull_request_context_provides_everything_a_change_check_may_use():
    fields = {f.name for f in dataclasses.fields(changes_module.PullRequestContext)}
    for name in ("prefix", "actor", "protected"):
        assert name in fields
    assert ChangeContext in changes_module.PullRequestContext.__mro__
    assert callable(changes_module.PullRequestContext.readable_policy)


# --- the one loop from hits to findings ---------------------------------------

def test_findings_for_labels_the_field_only_when_given_the_model():
    s103 = RULES["S103"]
    hits = [Hit(("name",), {"actual": "x", "expected": "y"})]
    place = lambda h: ("registry/centers/c.yml", (3, 5))  # noqa: E731
    with_model = list(findings_for(s103, hits, place, Center))
    assert [(f.path, f.line, f.column, f.rule) for f in with_model] == [("registry/centers/c.yml", 3, 5, "S103")]
    assert with_model[0].message.startswith("name（名称） 的值“x”")
    with pytest.raises(KeyError):  # without the model nobody fills {field}
        list(findings_for(s103, hits, place))
    own = [Hit(("name",), {"field": "自带的字段", "actual": "x", "expected": "y"})]
    assert list(findings_for(s103, own, place, Center))[0].message.startswith("自带的字段 的值")


def test_no_command_turns_hits_into_findings_itself():
    # A check's hits become findings only in engine.findings_for; RULES["X"].finding
    # for a loader or schema finding with no check is fine.
    loops = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "engine.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "finding"
                    and isinstance(node.func.value, ast.Name)):
                loops.append(f"{path.relative_to(PACKAGE).as_posix()}:{node.lineno}")
    assert loops == []
