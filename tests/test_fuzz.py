"""Property tests: no input makes the loader or the validator raise, and every
finding the full pipeline reports has a usable position."""

from __future__ import annotations

import atexit
import copy
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXEMPLAR_APPLICATION, EXEMPLAR_CENTER, REGISTRY
from ticreg.findings import Finding
from ticreg.loader import PosDict, load_bytes
from ticreg.catalog import RULES, SEVERITIES
from ticreg.validate import validate_registry

FAST = settings(max_examples=150, deadline=None, database=None)
PIPELINE = settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

EXEMPLAR_TEXT = EXEMPLAR_APPLICATION.read_text(encoding="utf-8")
EXEMPLAR_BYTES = EXEMPLAR_TEXT.encode("utf-8")
APPLICATION = Path("applications") / "zezhou" / "2024-zezhou-001.yml"

# Characters that steer the YAML scanner into its corners.
YAMLISH = st.text(
    alphabet=st.sampled_from(
        list(" \n\n\n  \t\r-:?,[]{}#&*!|>'\"%@`~.\\0123456789abyesNOtrue")
        + ["\ufeff", "\x00", "\x07", "\x85", "\u2028", "\u2029", "晋", "城", "：", "，", "　", "é"]
    ),
    max_size=200,
)
# Values with a history in YAML: the Norway problem, sexagesimals, octals,
# impossible dates, tags, anchors, nulls.
TRICKY = st.sampled_from(
    ["NO", "no", "yes", "off", "~", "null", "", "1:20", "01234", "0o17", "0x1F", ".inf", "-.nan",
     "2026-02-30", "2024-03-11T10:00:00", "!!python/name:os.system", "&a", "*a", "<<", "是", "否",
     "9" * 5000, "13834561234", "140525199001011234"]
)
SCALARS = st.one_of(
    st.text(max_size=80), TRICKY, st.none(), st.booleans(), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.one_of(st.text(max_size=12), TRICKY), SCALARS, max_size=4),
)


def _paths(node, prefix=()):
    """Every (path, is_leaf) inside the parsed exemplar."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        path = prefix + (key,)
        yield path, not isinstance(value, (dict, list))
        yield from _paths(value, path)


EXEMPLAR_DATA = yaml.safe_load(EXEMPLAR_TEXT)


def exemplar_data():
    return copy.deepcopy(EXEMPLAR_DATA)
ALL_PATHS = [p for p, _ in _paths(EXEMPLAR_DATA)]
LEAF_PATHS = [p for p, leaf in _paths(EXEMPLAR_DATA) if leaf]
KEY_PATHS = [p for p in ALL_PATHS if isinstance(p[-1], str)]


def _parent(data, path):
    node = data
    for step in path[:-1]:
        node = node[step]
    return node


def _dump(data) -> bytes:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False).encode("utf-8")


def assert_sound(findings: list[Finding], paths: set[str]) -> None:
    for f in findings:
        assert isinstance(f, Finding)
        assert f.rule in RULES
        assert f.severity in SEVERITIES
        assert isinstance(f.line, int) and f.line >= 1, f
        assert isinstance(f.column, int) and f.column >= 1, f
        assert f.path in paths, f
        assert f.message


# One registry for the whole module: policy, departments, calendar and center
# never change, each example rewrites only the application file. The calendar
# years are those of the shipped registry (the publicity window needs them: F805).
_BASE = Path(tempfile.mkdtemp(prefix="ticreg-fuzz-"))
atexit.register(shutil.rmtree, _BASE, ignore_errors=True)
_ROOT = _BASE / "registry"
(_ROOT / APPLICATION.parent).mkdir(parents=True)
(_ROOT / "centers").mkdir()
shutil.copy(REGISTRY / "policy.yml", _ROOT / "policy.yml")
shutil.copy(REGISTRY / "departments.yml", _ROOT / "departments.yml")
shutil.copy(EXEMPLAR_CENTER, _ROOT / "centers" / EXEMPLAR_CENTER.name)
_CALENDAR = [Path("calendar") / p.name for p in sorted((REGISTRY / "calendar").glob("*.yml"))]
(_ROOT / "calendar").mkdir()
for _year in _CALENDAR:
    shutil.copy(REGISTRY / _year, _ROOT / _year)
_PATHS = {
    (Path("registry") / p).as_posix()
    for p in ("policy.yml", "departments.yml", APPLICATION, Path("centers") / EXEMPLAR_CENTER.name, *_CALENDAR)
}


def validate_application(raw: bytes) -> list[Finding]:
    """Run the whole pipeline on the registry with `raw` as its application file."""
    (_ROOT / APPLICATION).write_bytes(raw)
    assert sorted(p.name for p in _ROOT.rglob("*") if p.is_file()) == sorted(
        ["policy.yml", "departments.yml", APPLICATION.name, EXEMPLAR_CENTER.name, *(p.name for p in _CALENDAR)]
    )
    findings = validate_registry(_ROOT, _BASE).findings
    assert_sound(findings, _PATHS)
    return findings


# --- (a) the loader on anything -----------------------------------------------------


def _check_loaded(raw: bytes) -> None:
    result = load_bytes(raw, "f.yml")
    assert result.data is None or isinstance(result.data, PosDict)
    if result.data is None:
        assert result.findings, "no data must come with a finding"
    assert_sound(result.findings, {"f.yml"})


@FAST
@given(st.text())
def test_loader_never_raises_on_text(text):
    _check_loaded(text.encode("utf-8"))


@FAST
@given(YAMLISH)
def test_loader_never_raises_on_yaml_like_text(text):
    _check_loaded(text.encode("utf-8"))


@FAST
@given(st.binary(max_size=400))
def test_loader_never_raises_on_bytes(raw):
    _check_loaded(raw)


@FAST
@given(st.binary(max_size=40), st.integers(min_value=0, max_value=len(EXEMPLAR_BYTES)))
def test_loader_never_raises_on_bytes_spliced_into_the_exemplar(junk, at):
    _check_loaded(EXEMPLAR_BYTES[:at] + junk + EXEMPLAR_BYTES[at:])


# --- (b) the whole pipeline on mutations of the exemplar ---------------------------


def test_the_unmutated_exemplar_is_clean():
    assert validate_application(EXEMPLAR_BYTES) == []
    # And so is the same data dumped by PyYAML (the mutations below are dumped that way).
    assert validate_application(_dump(exemplar_data())) == []


@PIPELINE
@given(st.sampled_from(KEY_PATHS))
def test_pipeline_survives_a_deleted_key(path):
    data = exemplar_data()
    del _parent(data, path)[path[-1]]
    validate_application(_dump(data))


@PIPELINE
@given(st.sampled_from(LEAF_PATHS), VALUES)
def test_pipeline_survives_a_replaced_scalar(path, value):
    data = exemplar_data()
    _parent(data, path)[path[-1]] = value
    validate_application(_dump(data))


@PIPELINE
@given(st.sampled_from(ALL_PATHS), VALUES)
def test_pipeline_survives_a_replaced_subtree(path, value):
    data = exemplar_data()
    _parent(data, path)[path[-1]] = value
    validate_application(_dump(data))


@PIPELINE
@given(st.integers(min_value=0, max_value=EXEMPLAR_TEXT.count("\n") - 1), st.integers(min_value=1, max_value=3))
def test_pipeline_survives_a_duplicated_line(index, copies):
    lines = EXEMPLAR_TEXT.split("\n")
    lines[index + 1 : index + 1] = [lines[index]] * copies
    validate_application("\n".join(lines).encode("utf-8"))


@PIPELINE
@given(st.integers(min_value=0, max_value=len(EXEMPLAR_BYTES)))
def test_pipeline_survives_truncation(at):
    validate_application(EXEMPLAR_BYTES[:at])


@PIPELINE
@given(st.integers(min_value=0, max_value=len(EXEMPLAR_TEXT)), st.one_of(st.text(min_size=1, max_size=20), YAMLISH))
def test_pipeline_survives_inserted_characters(at, junk):
    validate_application((EXEMPLAR_TEXT[:at] + junk + EXEMPLAR_TEXT[at:]).encode("utf-8"))


@PIPELINE
@given(st.lists(st.tuples(st.sampled_from(LEAF_PATHS), TRICKY), min_size=1, max_size=6))
def test_pipeline_survives_tricky_values_written_plain(changes):
    # Write the tricky values unquoted, straight into the text, where PyYAML's
    # dumper would have quoted them.
    data = exemplar_data()
    for path, _ in changes:
        _parent(data, path)[path[-1]] = f"@@{id(path)}@@"
    text = _dump(data).decode("utf-8")
    for path, value in changes:
        text = text.replace(f"'@@{id(path)}@@'", value).replace(f"@@{id(path)}@@", value)
    validate_application(text.encode("utf-8"))
