"""Issue forms and `ticreg intake`: the forms follow policy.yml, and any body becomes a valid file or a clear refusal.

Nothing is mocked. Bodies are made the way GitHub makes them, from a filled
form (tests/intake_bodies.py), starting from the sample registry's
application 2024-zezhou-001; every intake runs the real parser, the real
YAML emitter and `ticreg validate`'s own checks in a throw-away registry
(`mini` of conftest.py, with staff.yml added).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path, PurePosixPath

import pytest
import yaml
from conftest import REGISTRY, REPO, TODAY, run_cli
from intake_bodies import (
    APPLICATION_FIELDS,
    APPLICATION_FORM,
    CHANGE_FORM,
    EXEMPLAR_NEW_NAME,
    POLICY,
    body,
    change_values,
    direct_values,
    exemplar_values,
    load,
)
from ticreg.errors import TicregError
from ticreg.github.intake import IntakeRefused, NotStaff, application_path, intake, write
from ticreg.github.intake_report import problems_report
from ticreg.github.issue_body import MAX_BODY_BYTES, Problem
from ticreg.github.issue_forms import CHECKBOXES, DROPDOWN, INPUT, TEXTAREA, generate, guide_url
from ticreg.loader import load_bytes
from ticreg.site.settings import load_site
from ticreg.validate import validate_registry

TEMPLATE_DIR = REPO / ".github" / "ISSUE_TEMPLATE"
MOBILE = "13834561234"
RESIDENT_ID = "140525200001011230"  # valid in form and checksum (tests/test_identifiers.py), made up


@pytest.fixture
def reg(mini):
    shutil.copy(REGISTRY / "staff.yml", mini.root / "staff.yml")
    return mini


def take(reg, values: dict, form=APPLICATION_FORM, **kwargs):
    return intake(reg.root, body(values, form), today=TODAY, **kwargs)


def refused(reg, text: str, **kwargs) -> list[Problem]:
    with pytest.raises(IntakeRefused) as caught:
        intake(reg.root, text, today=TODAY, **kwargs)
    return caught.value.problems


def fields_named(problems: list[Problem]) -> set:
    return {p.field for p in problems}


def files_under(base: Path) -> set[str]:
    return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}


def loaded(text: str) -> dict:
    """The file as the registry's own loader reads it (every scalar as text)."""
    result = load_bytes(text.encode("utf-8"), "new.yml")
    assert result.ok, result.findings
    return result.data


# ---------------------------------------------------------------------------
# The forms: generated from policy.yml, committed, and in step with the schema
# ---------------------------------------------------------------------------


def committed(name: str) -> dict:
    return yaml.safe_load((TEMPLATE_DIR / name).read_text(encoding="utf-8"))


def elements(name: str) -> dict[str, dict]:
    return {e["id"]: e for e in committed(name)["body"] if e["type"] != "markdown"}


def test_the_committed_forms_are_current():
    expected = generate(POLICY, load_site(REPO / "mkdocs.yml").url)
    for name, text in expected.items():
        current = (TEMPLATE_DIR / name).read_text(encoding="utf-8") if (TEMPLATE_DIR / name).exists() else None
        assert current == text, f".github/ISSUE_TEMPLATE/{name} 已过期：policy.yml 或表单定义改动后请运行 `ticreg issue-forms` 重新生成并提交"


@pytest.mark.parametrize(
    "field_id,policy_list",
    [
        ("category", [c.name for c in POLICY.categories]),
        ("cluster", [c.name for c in POLICY.clusters]),
        ("county", [c.name for c in POLICY.counties]),
        ("center_legal_form", [c.name for c in POLICY.center_legal_forms]),
        ("lead_unit_kind", [c.name for c in POLICY.unit_kinds]),
        ("director_title_level", [c.name for c in POLICY.title_levels]),
        ("director_degree", [c.name for c in POLICY.degrees]),
        ("platform_kind", [c.name for c in POLICY.direct_certification.platform_kinds]),
        ("platform_level", [c.name for c in POLICY.direct_certification.platform_levels]),
    ],
)
def test_dropdown_options_are_policy_names(field_id, policy_list):
    """Read straight from the committed YAML and policy.yml: fails when either drifts."""
    assert elements("application.yml")[field_id]["attributes"]["options"] == policy_list


def test_checkbox_options_are_policy_services_and_every_declaration_is_required():
    services = elements("application.yml")["services"]["attributes"]["options"]
    assert [o["label"] for o in services] == [s.name for s in POLICY.services]
    declarations = elements("application.yml")["declarations"]["attributes"]["options"]
    assert declarations == [{"label": d.text, "required": True} for d in POLICY.eligibility.required_declarations]


def test_change_form_lead_unit_kinds_follow_policy_too():
    assert elements("change-request.yml")["lead_unit_kind"]["attributes"]["options"] == [u.name for u in POLICY.unit_kinds]


def test_a_policy_change_shows_up_in_regenerated_forms_and_check_fails(tmp_path):
    shutil.copytree(REGISTRY, tmp_path / "registry")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    policy = tmp_path / "registry" / "policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace(
        "  - {id: medicine, name: 医药}\n", "  - {id: medicine, name: 医药}\n  - {id: hydrogen, name: 氢能}\n"),
        encoding="utf-8")
    output = tmp_path / ".github" / "ISSUE_TEMPLATE"
    output.mkdir(parents=True)
    for name in ("application.yml", "change-request.yml", "config.yml"):
        shutil.copy(TEMPLATE_DIR / name, output / name)
    check = run_cli("issue-forms", "--check", cwd=tmp_path)
    assert check.code == 1 and "application.yml" in check.stderr and "ticreg issue-forms" in check.stderr
    assert run_cli("issue-forms", cwd=tmp_path).code == 0
    regenerated = yaml.safe_load((output / "application.yml").read_text(encoding="utf-8"))
    cluster = next(e for e in regenerated["body"] if e.get("id") == "cluster")
    assert cluster["attributes"]["options"][-1] == "氢能"
    assert run_cli("issue-forms", "--check", cwd=tmp_path).code == 0


@pytest.mark.parametrize("name", ["application.yml", "change-request.yml"])
def test_form_structure_is_what_github_accepts(name):
    form = committed(name)
    assert {"name", "description", "body"} <= set(form)
    ids, labels = [], []
    for element in form["body"]:
        assert element["type"] in ("markdown", INPUT, TEXTAREA, DROPDOWN, CHECKBOXES)
        if element["type"] == "markdown":
            continue
        ids.append(element["id"])
        labels.append(element["attributes"]["label"])
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"])
        if element["type"] == CHECKBOXES:
            assert "validations" not in element, "checkboxes are required option by option"
        if element["type"] in (DROPDOWN, CHECKBOXES):
            assert "placeholder" not in element["attributes"]
            options = element["attributes"]["options"]
            assert options and len(options) == len({str(o) for o in options})
            assert "None" not in options, "GitHub reserves None for an unanswered dropdown"
    assert len(ids) == len(set(ids)) and len(labels) == len(set(labels))


def test_required_fields_have_validations_and_match_the_parser():
    for name, form in (("application.yml", APPLICATION_FORM), ("change-request.yml", CHANGE_FORM)):
        found = elements(name)
        assert set(found) == {f.id for f in form.fields}
        for f in form.fields:
            if f.kind != CHECKBOXES:
                assert found[f.id].get("validations", {}).get("required", False) is f.required, f.id


def test_the_warning_comes_first_and_no_field_asks_for_a_mobile_number():
    for name in ("application.yml", "change-request.yml"):
        first = committed(name)["body"][0]
        assert first["type"] == "markdown"
        text = first["attributes"]["value"]
        assert text.startswith("> [!WARNING]") and "身份证号" in text and "手机号" in text and "公开" in text
        for element in committed(name)["body"][1:]:
            label = element.get("attributes", {}).get("label", "")
            assert "手机" not in label and "身份证" not in label
    phone = elements("application.yml")["contact_phone"]["attributes"]
    assert "办公电话" in phone["label"] and "不要填写手机号" in phone["description"]


def test_config_disables_blank_issues_and_links_to_the_guide():
    config = committed("config.yml")
    assert config["blank_issues_enabled"] is False
    [link] = config["contact_links"]
    assert link["url"] == guide_url(load_site(REPO / "mkdocs.yml").url) == "https://tic.jincheng.example/guide/"


def _required(model) -> set[str]:
    return {name for name, info in model.model_fields.items() if info.is_required()}


def test_every_required_schema_field_has_a_form_field_or_comes_from_the_registry():
    from ticreg_schemas.application import (
        ChangeApplication,
        CertificationApplication,
        DirectCertificationApplication,
        IpAchievement,
        ProvincialPlatform,
    )
    from ticreg_schemas.parties import ApplicantContact, CoBuilder, Director, LeadUnit, SpecializedInstitution, TeamMember

    decided = {"id", "kind", "organizing_department", "history"}  # the registry and the date decide these
    app_paths = {f.path for f in APPLICATION_FORM.fields}
    tops = {p[0] for p in app_paths if p}
    for model in (CertificationApplication, DirectCertificationApplication):
        assert _required(model) - decided <= tops | {"kind"}
    for key, model in (("lead_unit", LeadUnit), ("director", Director), ("contact", ApplicantContact),
                       ("provincial_platform", ProvincialPlatform)):
        assert _required(model) <= {p[1] for p in app_paths if len(p) == 2 and p[0] == key}, key
    for field_id, model in (("team", TeamMember), ("ip_achievements", IpAchievement),
                            ("co_builders", CoBuilder), ("specialized_institutions", SpecializedInstitution)):
        assert _required(model) <= {c.key for c in APPLICATION_FIELDS[field_id].columns}, field_id
    change_tops = {f.path[0] for f in CHANGE_FORM.fields if f.path}
    assert _required(ChangeApplication) - decided <= change_tops


# ---------------------------------------------------------------------------
# The sample application, through the form, back into the registry
# ---------------------------------------------------------------------------


def test_the_exemplar_as_an_issue_body_becomes_a_file_validate_accepts(reg):
    env = {**os.environ, "ISSUE_BODY": body(exemplar_values())}
    result = run_cli("intake", "--today", TODAY.isoformat(), "--issue-number", "12", cwd=reg.base, env=env)
    assert result.code == 0, result.stderr
    assert result.stdout == "registry/applications/zezhou/2026-zezhou-001.yml\n"
    new = reg.root / "applications" / "zezhou" / "2026-zezhou-001.yml"
    check = reg.validate("registry/applications/zezhou/2026-zezhou-001.yml")
    assert check.code == 0 and check.findings == []

    made, original = yaml.safe_load(new.read_text(encoding="utf-8")), load(reg.application)
    assert made["id"] == "2026-zezhou-001" and made["organizing_department"] == "zezhou"
    assert made["history"] == [{"date": TODAY, "event": "submitted"}]
    assert made["contact"]["phone"] == "0356-2123456"
    assert made["proposed_name"] == EXEMPLAR_NEW_NAME
    for key in original:
        if key not in ("id", "history", "contact", "applicant_logins", "proposed_name"):  # logins come from --applicant
            assert made[key] == original[key], key
    assert made["specialized_institutions"] == [] and original.get("specialized_institutions") is None
    assert set(made) == EXEMPLAR_KEYS
    # The layout of the templates: key order and the one-line styles of the sample registry.
    text = new.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/json/application.schema.json\n# 由议题 #12 的")
    assert list(made)[:4] == ["id", "kind", "category", "proposed_name"] and list(made)[-2:] == ["contact", "history"]
    assert "services: [commissioned-rd, inspection-testing, training]\n" in text
    assert "  - {name: 李建华, title_level: full-senior, degree: doctorate, full_time: true, months_in_jincheng_per_year: 10}\n" in text
    assert "county_code: \"140525\"\n" in text


def test_direct_certification_and_change_requests_become_valid_files(reg):
    direct = take(reg, direct_values())
    assert direct.kind == "direct-certification" and "provincial_platform" in loaded(direct.text)
    change = take(reg, change_values(), CHANGE_FORM)
    data = loaded(change.text)
    assert data["kind"] == "change" and data["center_id"] == "coalbed-methane-development"
    assert data["organizing_department"] == "zezhou", "the center's own department, from its file"
    assert list(data) == ["id", "kind", "organizing_department", "center_id", "lead_unit", "requested_change",
                          "reason", "contact", "history"]
    for accepted in (direct, change):
        write(reg.root, accepted)
        assert [f for f in reg.check() if f.severity == "error"] == []
        (reg.root / accepted.relative).unlink()


def test_a_change_request_may_name_the_center_by_its_current_name(reg):
    accepted = take(reg, change_values("晋城市煤层气高效开发技术创新中心"), CHANGE_FORM)
    assert loaded(accepted.text)["center_id"] == "coalbed-methane-development"


@pytest.mark.parametrize("center", ["no-such-center", "../centers/coalbed-methane-development", "/etc/passwd",
                                    "coalbed-methane-development/../x", "晋城市煤层气"])
def test_a_change_request_for_an_unknown_center_is_refused(reg, center):
    problems = refused(reg, body(change_values(center), CHANGE_FORM))
    assert fields_named(problems) == {"要变更的中心"}


def test_a_change_request_must_ask_for_something(reg):
    values = change_values()
    values.update(new_name=None, new_research_directions=None, restructuring=None)
    problems = refused(reg, body(values, CHANGE_FORM))
    assert [p.field for p in problems] == ["新名称"] and "至少填写一项" in problems[0].message


# ---------------------------------------------------------------------------
# Where the file goes: from the registry, never from the body
# ---------------------------------------------------------------------------


def test_ids_take_the_next_free_number_of_the_year_and_department(reg):
    first = take(reg, exemplar_values())
    assert first.relative == PurePosixPath("applications/zezhou/2026-zezhou-001.yml")
    write(reg.root, first)
    assert take(reg, exemplar_values()).application_id == "2026-zezhou-002"
    taken = ["registry/applications/zezhou/2026-zezhou-007.yml", "2026-zezhou-003", "../../2026-zezhou-999x",
             "registry/applications/chengqu/2026-chengqu-050.yml"]
    assert take(reg, exemplar_values(), taken=taken).application_id == "2026-zezhou-008"


def test_the_county_decides_the_department_folder(reg):
    values = exemplar_values()
    values["county"] = next(c for c in APPLICATION_FIELDS["county"].choices if c.label == "高平市")
    accepted = take(reg, values)
    assert accepted.relative == PurePosixPath("applications/gaoping/2026-gaoping-001.yml")
    assert accepted.department.id == "gaoping"


@pytest.mark.parametrize(
    "department,application_id",
    [("../zezhou", "2026-zezhou-001"), ("zezhou/..", "2026-zezhou-001"), ("/etc", "2026-etc-001"),
     ("zezhou", "../2026-zezhou-001"), ("zezhou", "2026-zezhou-001/x"), ("zezhou", "/2026-zezhou-001"),
     ("zezhou", "2026-chengqu-001"), ("zezhou", "2026-Zezhou-001"), ("nowhere", "2026-nowhere-001"),
     ("zezhou", "2026-zezhou-001.yml")],
)
def test_paths_are_checked_against_the_allow_lists(reg, department, application_id):
    with pytest.raises(TicregError):
        application_path(reg.root, {"zezhou", "chengqu"}, department, application_id)


def test_a_file_is_never_overwritten(reg):
    accepted = take(reg, exemplar_values())
    write(reg.root, accepted)
    before = (reg.root / accepted.relative).read_bytes()
    with pytest.raises(TicregError, match="不会覆盖"):
        write(reg.root, accepted)
    assert (reg.root / accepted.relative).read_bytes() == before


# ---------------------------------------------------------------------------
# Hostile bodies
# ---------------------------------------------------------------------------

PAYLOADS = [
    "$(rm -rf /)", "${{ secrets.GITHUB_TOKEN }}", "`rm -rf /`", "&a", "*a", "!!python/object/apply:os.system ['id']",
    "---", "...", "key: value", "a: b, c: d", "- item", "[1, 2]", "{a: 1}", "null", "~", "yes", "'", '"', "# comment",
    "%YAML 1.1", "| block", "> folded", "? key", "@someone", "#1", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "**粗体** [链接](javascript:alert(1))", "\\n\\x00", "../../etc/passwd",
    "/etc/passwd", "C:\\Windows\\System32", "0x1F", "1:20", "2026-01-01",
]
# The top-level keys of the file the unchanged exemplar form gives.
EXEMPLAR_KEYS = {
    "id", "kind", "category", "proposed_name", "cluster", "county_code", "organizing_department",
    "center_legal_form", "lead_unit", "co_builders", "director", "research_directions", "summary", "services",
    "specialized_institutions", "team", "rd_equipment_value_yuan", "floor_area_m2", "ip_achievements",
    "declarations", "contact", "history",
}
# Free-text fields that take any text: the payload must come through literally.
TEXT_FIELDS = ["lead_unit_name", "director_name", "director_title", "summary", "contact_person",
               "municipal_erc_conversion", "research_directions"]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field_id", TEXT_FIELDS)
def test_injection_attempts_in_text_fields_are_kept_as_literal_text(reg, field_id, payload):
    values = exemplar_values()
    values[field_id] = payload
    if field_id == "municipal_erc_conversion":  # the name of a conversion comes with its certification
        values["municipal_erc_document_number"] = "晋市科发〔2019〕15号"
        values["municipal_erc_certified_on"] = "2019-08-26"
    accepted = take(reg, values)
    data = loaded(accepted.text)
    f = APPLICATION_FIELDS[field_id]
    value = data
    for key in f.path:
        value = value[key]
    assert value == ([payload] if f.lines else payload)
    assert set(data) == EXEMPLAR_KEYS | {f.path[0]}, "no key was injected"
    # A YAML 1.1 reader (PyYAML) sees the same text: "yes", "1:20" or "2026-01-01" are quoted.
    value = yaml.safe_load(accepted.text)
    for key in f.path:
        value = value[key]
    assert value == ([payload] if f.lines else payload)
    assert data["kind"] == "certification" and data["id"] == "2026-zezhou-001"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_attempts_in_every_field_never_escape_their_value(reg, payload):
    """Every field of the form at once: accepted with literal values, or refused field by field."""
    for f in APPLICATION_FORM.fields:
        if f.kind in (DROPDOWN, CHECKBOXES):
            continue
        values = exemplar_values()
        values[f.id] = payload if not f.columns else payload.replace("|", "/") + "|" * (len(f.columns) - 1)
        before = files_under(reg.base)
        try:
            accepted = take(reg, values)
        except IntakeRefused as error:
            # The three items of an Art. 16 conversion come together: one alone names the missing others.
            conversion = ("municipal_erc_conversion",)
            together = f.path[:1] == conversion
            group = {g.label for g in APPLICATION_FORM.fields if together and g.path[:1] == conversion} | {f.label}
            assert group & fields_named(error.problems), (f.id, error.problems)
        else:
            data = loaded(accepted.text)
            assert data["kind"] == "certification" and data["organizing_department"] == "zezhou"
            assert accepted.relative == PurePosixPath("applications/zezhou/2026-zezhou-001.yml")
        assert files_under(reg.base) == before, "nothing is written by intake() itself"


def test_a_textarea_cannot_add_keys_or_documents(reg):
    values = exemplar_values()
    values["summary"] = "正文\nkind: change\nid: ../../../etc/passwd\n---\norganizing_department: chengqu\n..."
    data = loaded(take(reg, values).text)
    assert data["summary"] == values["summary"]
    assert data["kind"] == "certification" and data["id"] == "2026-zezhou-001"
    assert data["organizing_department"] == "zezhou"


def test_markdown_and_html_are_kept_literal_and_the_file_stays_valid(reg):
    values = exemplar_values()
    values["summary"] = "**加粗** _斜体_ <b onclick=\"x()\">HTML</b>\n\n- 列表\n> 引用\n```\n代码\n```\n<!-- 注释 -->"
    values["director_title"] = "<script>alert('x')</script>"
    accepted = take(reg, values)
    data = loaded(accepted.text)
    assert data["summary"] == values["summary"] and data["director"]["title"] == values["director_title"]
    write(reg.root, accepted)
    assert [f for f in reg.check() if f.severity == "error"] == []


@pytest.mark.parametrize("field_id", ["proposed_name", "lead_unit_name", "contact_person", "lead_unit_uscc"])
def test_a_newline_in_a_single_line_field_is_refused(reg, field_id):
    values = exemplar_values()
    values[field_id] = f"{values[field_id]}\nkind: change"
    problems = refused(reg, body(values))
    assert [p.field for p in problems] == [APPLICATION_FIELDS[field_id].label]
    assert "一行" in problems[0].message


def test_a_huge_body_is_refused_before_anything_else(reg):
    values = exemplar_values()
    values["summary"] = "很" * (MAX_BODY_BYTES // 3 + 10)
    problems = refused(reg, body(values))
    assert len(problems) == 1 and problems[0].field is None and "过长" in problems[0].message
    assert refused(reg, "x" * (10 * MAX_BODY_BYTES))[0].message.startswith("议题正文过长")


def test_a_long_but_allowed_body_gets_field_level_answers(reg):
    values = exemplar_values()
    values["summary"] = "很" * 2001  # 6 KB: under the body cap, over the schema's 2000 characters
    problems = refused(reg, body(values))
    assert fields_named(problems) == {"简介"} and "S10" in problems[0].message


@pytest.mark.parametrize("text", [None, "", "   \n\n", "随便写的一段话", "## 申报类型\n\n一般程序认定（第九条）"])
def test_bodies_not_from_the_form_are_refused(reg, text):
    problems = refused(reg, text)
    assert problems and problems[0].field is None


def test_missing_headings_are_named(reg):
    text = body(exemplar_values())
    text = re.sub(r"### 牵头单位统一社会信用代码\n\n[^\n]*\n\n", "", text)
    text = text.replace("### 简介\n", "### 中心简介\n")
    problems = refused(reg, text)
    assert {"牵头单位统一社会信用代码", "简介"} <= fields_named(problems)
    assert any("中心简介" in p.message and p.field is None for p in problems), "the unknown heading is named too"


def test_repeated_headings_are_named(reg):
    values = exemplar_values()
    values["summary"] = "正常的简介\n\n### 拟定名称\n\n晋城市另一个技术创新中心"
    problems = refused(reg, body(values))
    assert [p.field for p in problems] == ["拟定名称"] and "2 次" in problems[0].message


def test_unknown_headings_and_text_before_the_first_heading_are_refused(reg):
    text = "请审核！\n\n" + body(exemplar_values()) + "\n### 备注\n\n补充说明\n"
    messages = [p.message for p in refused(reg, text)]
    assert any("第一项标题之前" in m for m in messages) and any("### 备注" in m for m in messages)


def test_crlf_bodies_are_read_like_lf_bodies(reg):
    accepted = take(reg, exemplar_values())
    crlf = intake(reg.root, body(exemplar_values()).replace("\n", "\r\n"), today=TODAY)
    assert crlf.text == accepted.text


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\u202e", "\u2066", "\ufeff", "\u2028", "\udc80", "\uf8f0"])
def test_hidden_characters_are_refused(reg, bad):
    values = exemplar_values()
    values["lead_unit_name"] = f"晋城{bad}公司"
    problems = refused(reg, body(values))
    assert [p.field for p in problems] == ["牵头单位名称"] and "控制字符" in problems[0].message


@pytest.mark.parametrize(
    "field_id,text,shown",
    [
        ("contact_phone", MOBILE, "138****1234"),
        ("contact_phone", "+86 138-3456-1234", "138****1234"),
        ("contact_phone", "１３８３４５６１２３４", "138****1234"),
        ("summary", f"负责人电话{MOBILE}，欢迎联系", "138****1234"),
        ("team", f"李建华{RESIDENT_ID}|正高级|博士|是|10", "1405**********1230"),
        ("director_name", f"李建华 {RESIDENT_ID}", "1405**********1230"),
    ],
)
def test_personal_numbers_are_refused_and_never_echoed(reg, field_id, text, shown):
    values = exemplar_values()
    values[field_id] = text
    problems = refused(reg, body(values))
    assert APPLICATION_FIELDS[field_id].label in fields_named(problems)
    report = problems_report(problems)
    assert shown in report and "[!CAUTION]" in report
    for secret in (MOBILE, RESIDENT_ID, "13834561234"[3:7] + "1234"):
        assert secret not in report and all(secret not in p.message for p in problems)


def test_a_personal_number_in_an_unknown_heading_is_masked_too(reg):
    text = body(exemplar_values()) + f"\n### 电话 {MOBILE}\n\n无\n"
    problems = refused(reg, text)
    assert all(MOBILE not in p.message for p in problems)
    assert any("138****1234" in p.message for p in problems)


# ---------------------------------------------------------------------------
# Form fields that are not plain text
# ---------------------------------------------------------------------------


def test_a_dropdown_value_that_is_not_an_option_is_refused(reg):
    text = body(exemplar_values()).replace("### 所在县（市、区）\n\n泽州县", "### 所在县（市、区）\n\n../../registry")
    problems = refused(reg, text)
    assert fields_named(problems) == {"所在县（市、区）"}


def test_checkbox_rules(reg):
    values = exemplar_values()
    values["declarations"] = values["declarations"] - {"no-major-safety-incident"}
    values["privacy"] = frozenset()
    values["services"] = frozenset()
    problems = refused(reg, body(values))
    assert fields_named(problems) == {"承诺事项", "公开提醒", "公共服务"}, "every problem in one answer"
    values = exemplar_values()
    values["services"] = frozenset()
    assert fields_named(refused(reg, body(values))) == {"公共服务"}
    text = body(exemplar_values()).replace("- [X] 检验检测", "- [X] 检验检测\n- [X] 免费午餐")
    assert fields_named(refused(reg, text)) == {"公共服务"}


def test_table_rows_are_checked_cell_by_cell_with_line_numbers(reg):
    values = exemplar_values()
    values["team"] = ("姓名|职称等级|学位|是否专职|每年在晋城工作月数\n---|---|---|---|---\n"
                      "李建华|正高级|博士|是\n王晓东|特级|硕士|是|11\n赵丽娟|中级|硕士|也许|12\n张伟|中级|学士|是|十二")
    values["rd_equipment_value_yuan"] = "865万"
    values["floor_area_m2"] = "1260平方米"
    values["ip_achievements"] = "发明专利|一种方法|ZL201910234567.8|2021年6月18日"
    messages = {(p.field, p.message) for p in refused(reg, body(values))}
    assert ("科研团队", "第 3 行应有 5 栏（姓名|职称等级|学位|是否专职|每年在晋城工作月数），以竖线“|”分隔，实际 4 栏") in messages
    assert any(f == "科研团队" and m.startswith("第 4 行的“职称等级”不是可选的取值之一") for f, m in messages)
    assert ("科研团队", "第 5 行的“是否专职”应为“是”或“否”") in messages
    assert ("科研团队", "第 6 行的“每年在晋城工作月数”应为 0 至 12 的数字，不带单位") in messages
    assert any(f == "研发设备原值（元）" and "万元" in m for f, m in messages)
    assert ("使用面积（平方米）", "应为数字，不带单位，例如 600") in messages
    assert any(f == "自主知识产权成果" and "YYYY-MM-DD" in m for f, m in messages)


def test_tables_accept_ids_full_width_bars_and_markdown_table_rows(reg):
    values = exemplar_values()
    values["team"] = values["team"].replace("|", "｜").replace("正高级", "full-senior")
    values["team"] = "\n".join(f"|{row}|" for row in values["team"].split("\n"))
    values["rd_equipment_value_yuan"] = "8,650,000"
    assert loaded(take(reg, values).text)["team"] == loaded(take(reg, exemplar_values()).text)["team"]


def test_conditional_fields_are_required_by_kind(reg):
    values = exemplar_values()
    values.update(team=None, ip_achievements=None)
    assert fields_named(refused(reg, body(values))) == {"科研团队", "自主知识产权成果"}
    values = direct_values()
    values.update(platform_name=None, platform_certified_on=None)
    assert fields_named(refused(reg, body(values))) == {"省级以上平台名称", "省级以上平台认定日期"}


def test_validation_findings_name_the_form_field(reg):
    values = exemplar_values()
    values["lead_unit_uscc"] = "91140525MA0GQ7K10J"  # wrong check character
    values["rd_equipment_value_yuan"] = "2999999"
    values["director_title_level"] = next(c for c in APPLICATION_FIELDS["director_title_level"].choices if c.label == "中级")
    values["director_degree"] = next(c for c in APPLICATION_FIELDS["director_degree"].choices if c.label == "硕士")
    problems = refused(reg, body(values))
    named = fields_named(problems)
    assert {"牵头单位统一社会信用代码", "研发设备原值（元）"} <= named
    assert named & {"中心负责人职称等级", "中心负责人学位", "中心负责人姓名"}
    assert all(re.match(r"[A-Z]\d{3} ", p.message) for p in problems)


# ---------------------------------------------------------------------------
# Who may take an application in
# ---------------------------------------------------------------------------


def test_only_staff_may_take_applications_in(reg):
    with pytest.raises(NotStaff):
        take(reg, exemplar_values(), actor="some-company")
    assert take(reg, exemplar_values(), actor="JCST-Bureau-Li").application_id == "2026-zezhou-001"
    assert take(reg, exemplar_values(), actor="zezhou-kjj").application_id == "2026-zezhou-001"
    problems = refused(reg, body(exemplar_values()), actor="gaoping-kjj")
    assert len(problems) == 1 and "泽州县科学技术局" in problems[0].message


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def cli(reg, *args, body_text=None):
    env = {key: value for key, value in os.environ.items() if key != "ISSUE_BODY"}
    if body_text is not None:
        env["ISSUE_BODY"] = body_text
    return run_cli("intake", "--today", TODAY.isoformat(), *args, cwd=reg.base, env=env)


def test_cli_success_writes_the_file_the_summary_and_no_report(reg, tmp_path):
    report, summary = tmp_path / "report.md", tmp_path / "summary.md"
    result = cli(reg, "--issue-number", "7", "--actor", "zezhou-kjj", "--report", str(report),
                 "--summary", str(summary), body_text=body(exemplar_values()))
    assert result.code == 0 and result.stdout == "registry/applications/zezhou/2026-zezhou-001.yml\n"
    assert "已写入申报" in result.stderr and not report.exists()
    text = summary.read_text(encoding="utf-8")
    assert "`registry/applications/zezhou/2026-zezhou-001.yml`" in text and "泽州县科学技术局" in text
    assert text.rstrip().endswith("Closes #7")


def test_cli_problems_exit_1_with_a_report_and_no_file(reg, tmp_path):
    values = exemplar_values()
    values["contact_phone"] = MOBILE
    values["lead_unit_name"] = "@evil <img src=x onerror=alert(1)> [x](https://evil.example)"
    report = tmp_path / "report.md"
    before = files_under(reg.root)
    result = cli(reg, "--report", str(report), body_text=body(values))
    assert result.code == 1 and result.stdout == ""
    assert files_under(reg.root) == before
    text = report.read_text(encoding="utf-8")
    assert text.startswith("## 申报表单未能受理") and "**联系人办公电话**" in text and "138****1234" in text
    assert MOBILE not in text and MOBILE not in result.stderr
    assert "申报受理" in text, "says how to ask again"


def test_cli_reads_the_body_from_a_file(reg, tmp_path):
    path = tmp_path / "body.md"
    path.write_bytes(body(exemplar_values()).encode("utf-8"))
    assert cli(reg, "--body-file", str(path)).code == 0
    path.write_bytes(b"### \xff\xfe\n\n")
    assert cli(reg, "--body-file", str(path)).code == 1


@pytest.mark.parametrize(
    "args,says",
    [
        ((), "ISSUE_BODY"),
        (("--issue-number", "12; rm -rf /"), "--issue-number"),
        (("--issue-number", "-1"), "--issue-number"),
        (("--issue-number", "0"), "--issue-number"),
        (("--actor", "some-company"), "staff.yml"),
        (("--body-file", "/nonexistent/body.md"), "--body-file"),
        (("--registry", "/nonexistent"), "登记册目录"),
    ],
)
def test_cli_usage_errors_exit_2_without_writing(reg, tmp_path, args, says):
    report = tmp_path / "report.md"
    text = None if args == () else body(exemplar_values())
    before = files_under(reg.root)
    result = cli(reg, *args, "--report", str(report), body_text=text)
    assert result.code == 2 and says in result.stderr
    assert not report.exists() and files_under(reg.root) == before


def test_cli_bad_today_is_a_usage_error(reg):
    result = run_cli("intake", "--today", "2026-02-30", cwd=reg.base, env={**os.environ, "ISSUE_BODY": "x"})
    assert result.code == 2


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


def test_the_report_neutralises_what_it_quotes():
    problems = [Problem("牵头单位名称", "S103 值 @octocat <img src=x onerror=alert(1)> [点我](https://evil.example) #1 无效")]
    report = problems_report(problems)
    assert "<img" not in report and "[点我](" not in report and "https://" not in report
    assert "@octocat" not in report and "#1 " not in report
    assert "**牵头单位名称**" in report


def test_the_validated_file_in_the_registry_is_what_the_report_promised(reg):
    """validate_registry on the written file finds exactly what intake() found: nothing."""
    accepted = take(reg, exemplar_values())
    write(reg.root, accepted)
    found = validate_registry(reg.root, reg.base, {f"registry/{accepted.relative}"}, today=TODAY).findings
    assert found == []
