"""Schema rules that take their allowed values from policy.yml (S105, S106),
and what happens without a usable policy (X500)."""

from __future__ import annotations

from rule_helpers import APP, POLICY, expect_one, replace_text, text_pos


def test_s105_a_value_outside_a_policy_list_names_the_allowed_values(mini):
    replace_text(mini.application, "title_level: junior", "title_level: 高级")
    finding = expect_one(mini, "S105", text_pos(mini.application, "title_level: 高级", at="高级"))
    assert "team[4].title_level" in finding.message and "“高级”" in finding.message
    for level in POLICY["title_levels"]:
        assert f"{level['id']}（{level['name']}）" in finding.message


def test_s105_accepts_every_value_of_the_policy_list(mini):
    original = mini.application.read_text(encoding="utf-8")
    assert original.count("title_level: junior") == 1
    for level in POLICY["title_levels"]:
        changed = original.replace("title_level: junior", f"title_level: {level['id']}")
        mini.application.write_text(changed, encoding="utf-8")
        assert "S105" not in mini.rules(), level


def test_s106_cluster_must_be_one_of_article_7(mini):
    replace_text(mini.application, "cluster: coalbed-methane", "cluster: 煤层气")
    finding = expect_one(mini, "S106", text_pos(mini.application, "cluster: 煤层气", at="煤层气"))
    assert finding.article == "第七条"
    assert all(cluster["id"] in finding.message for cluster in POLICY["clusters"])


def test_s105_a_municipal_center_cannot_take_the_direct_path(mini):
    """Art. 16: only provincial-or-higher key laboratories and engineering
    technology research centers are certified directly; a converting municipal
    engineering technology research center follows the normal path."""
    direct_kinds = {k["id"] for k in POLICY["direct_certification"]["platform_kinds"]}
    municipal = POLICY["direct_certification"]["priority_platform_kinds"][0]["id"]
    assert municipal not in direct_kinds
    text = mini.application.read_text(encoding="utf-8")
    text = text.replace("kind: certification", "kind: direct-certification")
    text += (
        "provincial_platform:\n"
        "  name: 晋城市示例工程技术研究中心\n"
        f"  platform_kind: {municipal}\n"
        "  level: provincial\n"
        "  certified_by: 晋城市科学技术局\n"
        "  document_number: 晋市科发〔2020〕1号\n"
        "  certified_on: 2020-05-06\n"
    )
    mini.application.write_text(text, encoding="utf-8")
    finding = expect_one(mini, "S105", text_pos(mini.application, f"platform_kind: {municipal}", at=municipal))
    assert "provincial_platform.platform_kind" in finding.message


def test_x500_a_registry_without_policy_says_so_and_fails(mini):
    (mini.root / "policy.yml").unlink()
    result = mini.validate()
    assert result.code == 1
    assert [(f["path"], f["line"], f["column"], f["rule"]) for f in result.findings] == [
        ("registry/policy.yml", 1, 1, "X500")
    ]


def test_a_broken_policy_stops_rule_checks_but_reports_itself(mini):
    replace_text(mini.root / "policy.yml", "min_rd_equipment_value_yuan: 3000000", "min_rd_equipment_value_yuan: 300万")
    # The application breaks a threshold, but without a valid policy there is
    # nothing to judge it by: only the policy's own finding is reported.
    replace_text(mini.application, "rd_equipment_value_yuan: 8650000", "rd_equipment_value_yuan: 1")
    findings = mini.check()
    assert [(f.path, f.rule) for f in findings] == [("registry/policy.yml", "S103")]
    assert "eligibility.min_rd_equipment_value_yuan" in findings[0].message
    assert APP not in {f.path for f in findings}
