"""The README documents every command and option, and its quick start stays true."""

from __future__ import annotations

import argparse
import re

import pytest

from conftest import REPO
from ticreg.cli import build_parser

README = (REPO / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_subcommand_has_a_readme_section(name):
    assert re.search(rf"^### `ticreg {name}\b", README, re.MULTILINE), f"README 缺少 ticreg {name} 一节"


@pytest.mark.parametrize(
    "name,option",
    [
        (name, option)
        for name, sub in sorted(_subcommands().items())
        for action in sub._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ],
)
def test_every_option_is_documented_in_its_section(name, option):
    section = README.split(f"### `ticreg {name}", 1)[1].split("\n### ", 1)[0]
    assert f"`{option}" in section, f"README 的 ticreg {name} 一节没有说明 {option}"


def test_quick_start_has_exactly_the_two_commands_ci_relies_on():
    quick_start = README.split("## 快速开始", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quick_start, re.DOTALL)
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/ticreg validate && .venv/bin/ticreg build",
        ".venv/bin/python -m pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_every_rule_family_in_the_readme_exists():
    from ticreg.rules import load_all
    from ticreg.catalog import RULES

    load_all()
    prefixes = {rule_id[0] for rule_id in RULES}
    table = README.split("## 规则", 1)[1]
    documented = set(re.findall(r"^\| ([A-Z])\d", table, re.MULTILINE))
    assert documented == prefixes
