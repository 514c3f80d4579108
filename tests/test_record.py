"""`ticreg record` and `ticreg new-application` on real registry files.

Every test works on a throw-away copy: the `mini` registry of conftest.py or
a copy of the whole sample registry. Nothing is mocked: "today" is an
argument of the logic (the command line reads the clock once), so the
in-process tests pass the fixed TODAY of conftest.py, and the command-line
tests use dates that are in the past on any day they run.

A write must keep every byte of the file and add exactly the new item; a
refusal must leave the file byte-identical and say what `ticreg validate`
says about the same event written by hand.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REGISTRY, REPO, TODAY, run_cli
from ticreg.errors import UsageError
from ticreg.new_application import new_application
from ticreg.record import RecordRefused, record_event
from ticreg.validate import validate_registry

D = dt.date
TEMPLATES = REPO / "templates"


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


class Sample:
    """A copy of the whole sample registry in a temporary directory."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "registry"
        shutil.copytree(REGISTRY, self.root)

    def path(self, relative: str) -> Path:
        return self.root / relative

    def findings(self, relative: str | None = None) -> list:
        found = validate_registry(self.root, self.base, today=TODAY).findings
        return [f for f in found if relative is None or f.path == f"registry/{relative}"]


@pytest.fixture
def sample(tmp_path: Path) -> Sample:
    return Sample(tmp_path)


class Cli:
    """`ticreg` run in-process (ticreg.cli.main, the same code as the console script) in `base`."""

    def __init__(self, capsys, monkeypatch):
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, base: Path, *args: str) -> tuple[int, str, str]:
        from ticreg.cli import main

        self.monkeypatch.chdir(base)
        self.capsys.readouterr()
        code = main(list(args))
        out, err = self.capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err


@pytest.fixture
def cli(capsys, monkeypatch) -> Cli:
    return Cli(capsys, monkeypatch)


def record(registry, record_id: str, event: str, **fields):
    """Record in-process against `registry` (a Sample or a MiniRegistry) with today = TODAY."""
    fields.setdefault("date", TODAY)
    return record_event(registry.root, registry.base, record_id, event, fields, today=TODAY)


def lines_of(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def inserted(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`, asserting every original line is kept byte for byte."""
    old, new = lines_of(before), lines_of(after)
    assert len(new) > len(old)
    i = 0
    while i < len(old) and new[i] == old[i]:
        i += 1
    added = len(new) - len(old)
    assert new[i + added :] == old[i:], "an original line changed"
    return new[i : i + added]


def appended(path: Path, action) -> list[str]:
    before = path.read_text(encoding="utf-8")
    action()
    return inserted(before, path.read_text(encoding="utf-8"))


def refused(path: Path, action) -> str:
    """Run `action`, which must be refused, and check the file is byte-identical."""
    before = path.read_bytes()
    with pytest.raises(RecordRefused) as caught:
        action()
    assert path.read_bytes() == before
    return str(caught.value)


def validate_says(registry, relative: str, item: str, rule: str) -> list[str]:
    """What `ticreg validate` reports under `rule` when `item` is appended to the file by hand."""
    path = registry.root / relative
    original = path.read_bytes()
    path.write_bytes(original + item.encode("utf-8"))
    try:
        found = validate_registry(registry.root, registry.base, today=TODAY).findings
    finally:
        path.write_bytes(original)
    messages = [f"{f.rule} {f.message}" for f in found if f.path == f"registry/{relative}" and f.rule == rule]
    assert messages, f"validate reports no {rule}"
    return messages


LINGCHUAN = "applications/lingchuan/2026-lingchuan-001.yml"  # site-inspected
QINSHUI = "applications/qinshui/2026-qinshui-001.yml"  # meeting-approved
YANGCHENG = "applications/yangcheng/2026-yangcheng-001.yml"  # department-approved
DEVZONE = "applications/devzone/2026-devzone-001.yml"  # in publicity 2026-11-24 .. 2026-11-30
GAOPING = "applications/gaoping/2025-gaoping-001.yml"  # objection dismissed, certified
ADVANCED = "centers/advanced-manufacturing.yml"  # rectified, then retained: block items


# ---------------------------------------------------------------------------
# Legal events: exactly one new item, everything else byte for byte
# ---------------------------------------------------------------------------


def test_normal_path_from_a_new_application_reproduces_the_templates_example(mini):
    """new-application, then every step of the template's own example history, one line each:
    the result is the template itself (but for its $schema path), and it validates."""
    template = (TEMPLATES / "application-certification.yml").read_text(encoding="utf-8")
    created = new_application(mini.root, mini.base, "chengqu", "2026-example-001", "certification", today=D(2026, 1, 5))
    path = mini.root / "applications" / "chengqu" / "2026-example-001.yml"
    assert created.path == "registry/applications/chengqu/2026-example-001.yml"
    shutil.copy(TEMPLATES / "center.yml", mini.root / "centers" / "example-center.yml")
    example_lines = [line for line in lines_of(template) if line.startswith("  - {date: 2026-")]
    events = yaml.safe_load(template)["history"]
    assert len(example_lines) == len(events) == 8

    states = []
    for line, event in zip(example_lines[1:], events[1:]):
        fields = dict(event)
        name = fields.pop("event")
        result = None

        def step(name=name, fields=fields):
            nonlocal result
            result = record(mini, "2026-example-001", name, **fields)

        assert appended(path, step) == [line]
        states.append(result.state)

    assert states == [
        "department-approved", "bureau-rechecked", "site-inspected", "expert-reviewed",
        "meeting-approved", "in-publicity", "certified",
    ]
    assert path.read_text(encoding="utf-8") == template.replace(
        "$schema=../schemas/json/", "$schema=../../../schemas/json/", 1
    )
    assert mini.check() == []  # the application, its center and the rest of the registry


def test_certification_recreates_the_exemplar_byte_for_byte(mini):
    """Remove the exemplar's certification and record it again: the same bytes come back."""
    original = mini.application.read_text(encoding="utf-8")
    mini.application.write_text("".join(lines_of(original)[:-1]), encoding="utf-8")
    result = record(mini, "2024-zezhou-001", "certified", date=D(2024, 6, 17),
                    document_number="晋市科发〔2024〕31号", center_id="coalbed-methane-development")
    assert mini.application.read_text(encoding="utf-8") == original
    assert (result.state, result.state_label, result.index) == ("certified", "已认定", 7)
    assert result.roles == ("bureau",)
    assert mini.check() == []


# Each file, its last event removed and recorded again, comes back byte for byte
# (the last item of each is written in the style the rest of its history gives).
REPRODUCIBLE = [
    "applications/agriculture/2026-agriculture-001.yml",
    "applications/chengqu/2023-chengqu-001.yml",
    "applications/devzone/2025-devzone-001.yml",
    "applications/gaoping/2023-gaoping-001.yml",
    "applications/gaoping/2025-gaoping-001.yml",  # mixed styles: short events on one line
    "applications/gaoping/2025-gaoping-002.yml",
    "applications/gaoping/2026-gaoping-001.yml",  # mixed styles: a rejection with its reason as a block
    "applications/industry/2025-industry-001.yml",
    "applications/industry/2026-industry-001.yml",  # change-approved
    "applications/lingchuan/2024-lingchuan-001.yml",
    "applications/lingchuan/2026-lingchuan-001.yml",
    "applications/qinshui/2025-qinshui-001.yml",  # direct certification
    "applications/qinshui/2026-qinshui-001.yml",
    "applications/yangcheng/2024-yangcheng-001.yml",
    "applications/yangcheng/2026-yangcheng-001.yml",
    "applications/zezhou/2023-zezhou-001.yml",
    "applications/zezhou/2024-zezhou-001.yml",
    "centers/advanced-manufacturing.yml",  # evaluated retain, as a block with a note
    "centers/precision-casting.yml",  # revoked, as a block with a reason
]


@pytest.mark.parametrize("relative", REPRODUCIBLE)
def test_sample_histories_are_rebuilt_byte_for_byte(sample, relative):
    path = sample.path(relative)
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    lines = lines_of(original)
    last_item = max(i for i, line in enumerate(lines) if line.startswith("  - "))
    path.write_text("".join(lines[:last_item]), encoding="utf-8")
    fields = dict(data["history"][-1])
    name = fields.pop("event")
    record(sample, data["id"], name, **fields)
    assert path.read_text(encoding="utf-8") == original
    assert sample.findings(relative) == []


def test_rejection_with_its_stage(sample):
    path = sample.path(YANGCHENG)
    reason = "复核认为研发设备原值中含与研究领域无关的通用设备，扣除后不足300万元。"
    result = None

    def step():
        nonlocal result
        result = record(sample, "2026-yangcheng-001", "rejected", date=D(2026, 11, 20),
                        stage="bureau-recheck", reason=reason)

    assert appended(path, step) == [
        f"  - {{date: 2026-11-20, event: rejected, stage: bureau-recheck, reason: {reason}}}\n"
    ]
    assert (result.state, result.state_label) == ("rejected", "未予通过")
    assert sample.findings(YANGCHENG) == []


def test_withdrawal(sample):
    path = sample.path(QINSHUI)
    assert appended(path, lambda: record(sample, "2026-qinshui-001", "withdrawn", date=D(2026, 11, 20),
                                         reason="牵头单位申请撤回。")) == [
        "  - {date: 2026-11-20, event: withdrawn, reason: 牵头单位申请撤回。}\n"
    ]
    assert sample.findings(QINSHUI) == []


def test_center_rectify_then_revoke(mini):
    """Evaluation with rectify and a deadline, a second evaluation that revokes, the revocation."""
    path = mini.center
    evaluator = "山西恒信科技评估咨询有限公司"
    steps = [
        (dict(event="evaluated", date=D(2026, 11, 2), outcome="rectify", rectification_deadline=D(2027, 5, 31),
              evaluator=evaluator, document_number="晋市科发〔2026〕70号"),
         f"  - {{date: 2026-11-02, event: evaluated, outcome: rectify, rectification_deadline: 2027-05-31, "
         f"evaluator: {evaluator}, document_number: 晋市科发〔2026〕70号}}\n",
         "rectifying"),
        (dict(event="evaluated", date=D(2026, 11, 16), outcome="revoke", evaluator=evaluator),
         f"  - {{date: 2026-11-16, event: evaluated, outcome: revoke, evaluator: {evaluator}}}\n",
         "revocation-decided"),
        (dict(event="revoked", date=D(2026, 11, 23), document_number="晋市科发〔2026〕75号", reason="整改期内停止运行。"),
         "  - {date: 2026-11-23, event: revoked, document_number: 晋市科发〔2026〕75号, reason: 整改期内停止运行。}\n",
         "revoked"),
    ]
    for fields, line, state in steps:
        result = None

        def step(fields=fields):
            nonlocal result
            fields = dict(fields)
            result = record(mini, "coalbed-methane-development", fields.pop("event"), **fields)

        assert appended(path, step) == [line]
        assert result.state == state
    assert result.state_label == "已撤销"
    assert mini.check() == []


def test_block_items_get_a_block_item(sample):
    """A history with block items and a note: the new event is a block in the same indentation."""
    path = sample.path(ADVANCED)
    assert appended(path, lambda: record(
        sample, "advanced-manufacturing", "evaluated", date=D(2026, 11, 20), outcome="retain", excellent=True,
        evaluator="山西恒信科技评估咨询有限公司", note="复评：运行良好。",
    )) == [
        "  - date: 2026-11-20\n",
        "    event: evaluated\n",
        "    outcome: retain\n",
        "    excellent: true\n",
        "    evaluator: 山西恒信科技评估咨询有限公司\n",
        "    note: 复评：运行良好。\n",
    ]
    assert sample.findings(ADVANCED) == []


def test_all_block_history_in_its_own_indentation(mini):
    text = mini.center.read_text(encoding="utf-8")
    flow = "  - {date: 2024-06-17, event: certified, document_number: 晋市科发〔2024〕31号, application_id: 2024-zezhou-001}\n"
    block = ("  -   date: 2024-06-17\n      event: certified\n      document_number: 晋市科发〔2024〕31号\n"
             "      application_id: 2024-zezhou-001\n")
    mini.center.write_text(text.replace(flow, block), encoding="utf-8")
    assert appended(mini.center, lambda: record(mini, "coalbed-methane-development", "evaluated",
                                                date=D(2026, 11, 20), outcome="retain", evaluator="示例评估咨询有限公司")) == [
        "  -   date: 2026-11-20\n", "      event: evaluated\n", "      outcome: retain\n",
        "      evaluator: 示例评估咨询有限公司\n",
    ]
    assert mini.check() == []


def test_comments_blank_lines_quotes_and_crlf_survive(mini):
    text = mini.center.read_text(encoding="utf-8")
    text = text.replace('county_code: "140525"', 'county_code: "140525"  # 泽州县')
    text = text.replace("history:\n", "# 记录：只追加。\nhistory:\n  # 认定\n")
    text = text.replace("application_id: 2024-zezhou-001}\n", "application_id: 2024-zezhou-001}  # 认定文件\n")
    text += "\n# 文件结束\n"
    mini.center.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = mini.center.read_bytes().decode("utf-8")
    record(mini, "coalbed-methane-development", "evaluated", date=D(2026, 11, 20), outcome="retain",
           evaluator="示例评估咨询有限公司", note="见 https://example.com/r.html")
    after = mini.center.read_bytes().decode("utf-8")
    assert inserted(before, after) == ['  - {date: 2026-11-20, event: evaluated, outcome: retain, evaluator: 示例评估咨询有限公司, note: "见 https://example.com/r.html"}\r\n']
    assert after.endswith("认定文件\r\n  - {date: 2026-11-20, event: evaluated, outcome: retain, evaluator: 示例评估咨询有限公司, note: \"见 https://example.com/r.html\"}\r\n"
                          "\r\n# 文件结束\r\n")
    assert mini.check() == []


def test_text_that_yaml_would_misread_is_quoted(mini):
    note = "? 是否整改: 否 # 见附件, [2] {3}"
    record(mini, "coalbed-methane-development", "evaluated", date=D(2026, 11, 20), outcome="retain", evaluator="示例评估咨询有限公司",
           note=note)
    assert yaml.safe_load(mini.center.read_text(encoding="utf-8"))["history"][-1]["note"] == note
    assert mini.check() == []


def test_rename_updates_the_name_and_keeps_the_former_one(mini):
    """A change application approved, then `changed --new-name` on the center: the one line
    besides the new item that changes is `name:`; the former name is taken from it."""
    new_application(mini.root, mini.base, "zezhou", "2026-zezhou-002", "change", today=D(2026, 10, 12))
    change = mini.root / "applications" / "zezhou" / "2026-zezhou-002.yml"
    text = change.read_text(encoding="utf-8")
    change.write_text(
        text.replace("center_id: example-center", "center_id: coalbed-methane-development")
        .replace("new_name: 晋城市示例先进材料技术创新中心", "new_name: 晋城市煤层气技术创新中心")
        # The center's own lead unit applies (F813).
        .replace("name: 晋城市示例新材料科技有限公司", "name: 晋城蓝焰煤层气工程研究有限公司")
        .replace("uscc: 91140502MA0Y8K6T2C", "uscc: 91140525MA0GQ7K10H")
        # A rename only: `record changed --new-name` records no new directions (F815).
        .replace("  new_research_directions:\n    - 示例方向一：煤基新材料制备\n    - 示例方向三：先进碳材料应用\n", ""),
        encoding="utf-8",
    )
    record(mini, "2026-zezhou-002", "department-approved", date=D(2026, 10, 26))
    record(mini, "2026-zezhou-002", "change-approved", date=D(2026, 11, 16), document_number="晋市科发〔2026〕66号")

    before = mini.center.read_text(encoding="utf-8")
    result = record(mini, "coalbed-methane-development", "changed", date=D(2026, 11, 16),
                    application_id="2026-zezhou-002", document_number="晋市科发〔2026〕66号",
                    new_name="晋城市煤层气技术创新中心")
    after = mini.center.read_text(encoding="utf-8")
    old, new = lines_of(before), lines_of(after)
    assert new[:-1] == [line.replace("name: 晋城市煤层气高效开发技术创新中心", "name: 晋城市煤层气技术创新中心")
                        if line.startswith("name:") else line for line in old]
    assert new[-1] == ("  - {date: 2026-11-16, event: changed, application_id: 2026-zezhou-002, "
                       "document_number: 晋市科发〔2026〕66号, former_name: 晋城市煤层气高效开发技术创新中心, "
                       "new_name: 晋城市煤层气技术创新中心}\n")
    assert result.state == "active"
    assert any("已由“晋城市煤层气高效开发技术创新中心”改为“晋城市煤层气技术创新中心”" in n for n in result.notes)
    assert mini.check() == []

    # A rename that disagrees with the approved application: F809 after writing, original back.
    message = refused(mini.center, lambda: record(
        mini, "coalbed-methane-development", "changed", date=D(2026, 11, 20), application_id="2026-zezhou-002",
        document_number="晋市科发〔2026〕99号", new_name="晋城市煤层气开发技术创新中心"))
    assert message.startswith("写入后校验发现本次记录引起的错误，已恢复原文件")
    assert "F809 history[2].document_number：晋市科发〔2026〕99号，与变更申请" in message


# ---------------------------------------------------------------------------
# Refusals: nothing written, validation's own wording
# ---------------------------------------------------------------------------


def test_skipping_a_stage_is_refused_with_the_F801_wording(sample):
    path = sample.path(LINGCHUAN)
    message = refused(path, lambda: record(sample, "2026-lingchuan-001", "meeting-approved", date=D(2026, 11, 20)))
    expected = ("F801 history[4].event（事件）：当前状态为“实地考察完成，待专家评审”，不能记录“meeting-approved"
                "（局党组会议研究通过）”；此时可记录：expert-reviewed、rejected、withdrawn"
                "（第九条、第十四条、第十五条、第十六条）")
    assert message == f"不能记录，registry/{LINGCHUAN} 未作任何改动：\n  {expected}"
    assert validate_says(sample, LINGCHUAN, "  - {date: 2026-11-20, event: meeting-approved}\n", "F801") == [expected]


@pytest.mark.parametrize(
    "relative,record_id,event,fields,item,rule",
    [
        pytest.param(DEVZONE, "2026-devzone-001", "certified",
                     dict(date=D(2026, 11, 26), document_number="晋市科发〔2026〕70号", center_id="precision-optoelectronics"),
                     "  - {date: 2026-11-26, event: certified, document_number: 晋市科发〔2026〕70号, center_id: precision-optoelectronics}\n",
                     "F804", id="certified-inside-the-publicity-window"),
        pytest.param(LINGCHUAN, "2026-lingchuan-001", "expert-reviewed", dict(date=D(2026, 10, 19)),
                     "  - {date: 2026-10-19, event: expert-reviewed}\n", "F802", id="backdated-before-the-last-event"),
        pytest.param(LINGCHUAN, "2026-lingchuan-001", "expert-reviewed", dict(date=D(2026, 11, 27)),
                     "  - {date: 2026-11-27, event: expert-reviewed}\n", "F803", id="after-today"),
        pytest.param(YANGCHENG, "2026-yangcheng-001", "rejected", dict(date=D(2026, 11, 20), stage="meeting", reason="x"),
                     "  - {date: 2026-11-20, event: rejected, stage: meeting, reason: x}\n", "F806", id="rejection-at-the-wrong-stage"),
        pytest.param(YANGCHENG, "2026-yangcheng-001", "rejected", dict(date=D(2026, 11, 20), reason="x"),
                     "  - {date: 2026-11-20, event: rejected, reason: x}\n", "H701", id="rejection-without-a-stage"),
        pytest.param(ADVANCED, "advanced-manufacturing", "evaluated", dict(date=D(2026, 11, 20), outcome="rectify"),
                     "  - {date: 2026-11-20, event: evaluated, outcome: rectify}\n", "H702", id="rectify-without-a-deadline"),
        pytest.param("centers/precision-casting.yml", "precision-casting", "evaluated", dict(date=D(2026, 11, 20), outcome="retain"),
                     "  - {date: 2026-11-20, event: evaluated, outcome: retain}\n", "F801", id="nothing-after-revocation"),
        pytest.param("applications/zezhou/2024-zezhou-001.yml", "2024-zezhou-001", "evaluated", dict(date=D(2026, 11, 20)),
                     "  - {date: 2026-11-20, event: evaluated}\n", "S103", id="a-center-event-on-an-application"),
        pytest.param("centers/sericulture.yml", "sericulture", "submitted", dict(date=D(2026, 11, 20)),
                     "  - {date: 2026-11-20, event: submitted}\n", "S103", id="an-application-event-on-a-center"),
        pytest.param(YANGCHENG, "2026-yangcheng-001", "bureau-rechecked", dict(date=D(2026, 11, 20), outcome="retain"),
                     "  - {date: 2026-11-20, event: bureau-rechecked, outcome: retain}\n", "S102", id="a-center-field-on-an-application"),
        pytest.param(YANGCHENG, "2026-yangcheng-001", "bureau-rechecked", dict(date=D(2026, 11, 20), document_number="x"),
                     "  - {date: 2026-11-20, event: bureau-rechecked, document_number: x}\n", "H701", id="a-field-the-event-does-not-take"),
    ],
)
def test_refusals_use_the_words_validate_uses(sample, relative, record_id, event, fields, item, rule):
    message = refused(sample.path(relative), lambda: record(sample, record_id, event, **fields))
    assert message.startswith(f"不能记录，registry/{relative} 未作任何改动：\n")
    for said in validate_says(sample, relative, item, rule):
        assert f"\n  {said}" in message


def test_the_publicity_window_message_in_full(sample):
    message = refused(sample.path(DEVZONE), lambda: record(
        sample, "2026-devzone-001", "certified", date=D(2026, 11, 26),
        document_number="晋市科发〔2026〕70号", center_id="precision-optoelectronics"))
    assert "  F804 history[7].date（日期）：认定日期 2026-11-26 早于可认定日期 2026-12-01（公示自 2026-11-24至2026-11-30）（第九条）" in message


def test_certifying_without_a_calendar_year_is_refused(sample):
    (sample.root / "calendar" / "2026.yml").unlink()
    message = refused(sample.path(DEVZONE), lambda: record(
        sample, "2026-devzone-001", "certified", date=D(2026, 11, 26),
        document_number="晋市科发〔2026〕70号", center_id="precision-optoelectronics"))
    assert ("F823 history[7].date（日期）：无法核对认定是否在公示期满之后，缺少 2026 年的节假日安排；"
            "添加 registry/calendar/2026.yml 后才能记录认定") in message


def test_certifying_without_the_center_file_says_to_copy_the_template(sample):
    record(sample, "2026-qinshui-001", "publicity-started", date=D(2026, 11, 18))  # window ends 2026-11-24
    path = sample.path(QINSHUI)
    message = refused(path, lambda: record(sample, "2026-qinshui-001", "certified", date=D(2026, 11, 25),
                                           document_number="晋市科发〔2026〕71号", center_id="qinshui-new-center"))
    assert "registry/centers/qinshui-new-center.yml，该文件不存在" in message
    assert "templates/center.yml" in message
    assert not (sample.root / "centers" / "qinshui-new-center.yml").exists()


def test_an_error_the_write_causes_puts_the_original_back(mini):
    """A personal mobile number in a note: P602 after writing; the original bytes return."""
    message = refused(mini.center, lambda: record(mini, "coalbed-methane-development", "evaluated",
                                                  date=D(2026, 11, 20), outcome="retain", evaluator="示例评估咨询有限公司",
                                                  note="联系人 13834561234"))
    assert message.startswith("写入后校验发现本次记录引起的错误，已恢复原文件 registry/centers/coalbed-methane-development.yml")
    assert "P602" in message and "138****1234" in message and "13834561234" not in message
    assert not list(mini.root.rglob(".*ticreg-tmp"))


def test_the_file_as_it_was_is_judged_by_its_replayed_state(mini):
    """The exemplar is certified: nothing more may be recorded on it."""
    message = refused(mini.application, lambda: record(mini, "2024-zezhou-001", "withdrawn"))
    assert "当前状态为“已认定”，不能记录“withdrawn（申请撤回）”；此时可记录：（已办结，不能再记录事件）" in message


def test_unknown_and_ambiguous_ids_are_usage_errors(mini):
    with pytest.raises(UsageError, match="找不到代号为“2026-zezhou-404”的申报或中心"):
        record(mini, "2026-zezhou-404", "submitted")
    for bad in ("../centers/coalbed-methane-development", "a/b", "..", "Upper", "-x"):
        with pytest.raises(UsageError, match="无效"):
            record(mini, bad, "submitted")
    shutil.copy(mini.center, mini.root / "applications" / "zezhou" / "coalbed-methane-development.yml")
    with pytest.raises(UsageError, match="对应多个文件"):
        record(mini, "coalbed-methane-development", "evaluated", outcome="retain")


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------


def test_cli_records_and_confirms_in_chinese(mini):
    before = mini.center.read_text(encoding="utf-8")
    result = run_cli("record", "--today", TODAY.isoformat(), "evaluated", "coalbed-methane-development", "--date", "2026-11-20",
                     "--outcome", "rectify", "--deadline", "2027-05-31", "--evaluator", "山西恒信科技评估咨询有限公司",
                     "--ref", "晋市科发〔2026〕70号", "--note", "限期整改", cwd=mini.base)
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "已记录：registry/centers/coalbed-methane-development.yml 的 history[1] 2026-11-20 evaluated（绩效评估）。"
        "当前状态：整改中（rectifying）。",
        "按办理流程，此事件由市科技局记录。",
    ]
    assert inserted(before, mini.center.read_text(encoding="utf-8")) == [
        "  - {date: 2026-11-20, event: evaluated, outcome: rectify, rectification_deadline: 2027-05-31, "
        "evaluator: 山西恒信科技评估咨询有限公司, document_number: 晋市科发〔2026〕70号, note: 限期整改}\n"
    ]
    assert mini.validate().code == 0


def test_cli_excellent_flag_and_the_date_defaults_to_today(mini, cli):
    code, _, err = cli(mini.base, "record", "--today", "2026-11-25", "evaluated", "coalbed-methane-development",
                       "--outcome", "retain", "--excellent", "--evaluator", "示例评估咨询有限公司")
    assert code == 0, err
    last = yaml.safe_load(mini.center.read_text(encoding="utf-8"))["history"][-1]
    assert last["excellent"] is True and last["outcome"] == "retain"
    assert last["date"] == dt.date(2026, 11, 25)


def test_cli_refusal_exits_1_and_writes_nothing(mini, cli):
    before = mini.application.read_bytes()
    code, _, err = cli(mini.base, "record", "--today", TODAY.isoformat(), "rejected", "2024-zezhou-001", "--stage", "meeting", "--reason", "x",
                       "--date", "2024-06-18")
    assert code == 1
    assert err.startswith("ticreg：不能记录，registry/applications/zezhou/2024-zezhou-001.yml 未作任何改动：\n  F801 ")
    assert mini.application.read_bytes() == before


def test_cli_wrong_record_type_exits_1_with_a_hint(mini, cli):
    code, _, err = cli(mini.base, "record", "--today", TODAY.isoformat(), "evaluated", "2024-zezhou-001", "--outcome", "retain",
                       "--date", "2024-06-18")
    assert code == 1
    assert "S103 history[8].event（事件） 的值“evaluated”不符合要求" in err
    assert "提示：--outcome 写入 outcome" in err
    assert "“evaluated”是中心档案（registry/centers/）的事件，不能记在申报上" in err


@pytest.mark.parametrize("args", [
    ("record", "submitted", "2026-nowhere-001"),
    ("record", "submitted", "../registry/centers/coalbed-methane-development"),
    ("record", "evaluated", "coalbed-methane-development", "--outcome", "maybe"),
    ("record", "evaluated", "coalbed-methane-development", "--date", "2026-02-30"),
    ("record", "rejected", "2024-zezhou-001", "--stage", "lunch"),
])
def test_cli_usage_errors_exit_2(mini, cli, args):
    before = {p: p.read_bytes() for p in mini.root.rglob("*.yml")}
    code, _, err = cli(mini.base, *args, "--today", TODAY.isoformat())
    assert code == 2
    assert err.startswith("ticreg：")
    assert {p: p.read_bytes() for p in mini.root.rglob("*.yml")} == before


# ---------------------------------------------------------------------------
# `ticreg new-application`
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind,template", [
    ("certification", "application-certification.yml"),
    ("direct-certification", "application-direct-certification.yml"),
    ("change", "application-change.yml"),
])
def test_new_application_is_the_template_with_id_department_and_submission(mini, kind, template):
    created = new_application(mini.root, mini.base, "zezhou", "2026-zezhou-002", kind, today=D(2026, 11, 26))
    path = mini.root / "applications" / "zezhou" / "2026-zezhou-002.yml"
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    example = yaml.safe_load(source)
    written = path.read_text(encoding="utf-8")
    old, new = lines_of(source), lines_of(written)
    history = old.index("history:\n")
    assert new[: history + 1] == [
        line.replace("$schema=../schemas/json/", "$schema=../../../schemas/json/")
        .replace(f"id: {example['id']}\n", "id: 2026-zezhou-002\n")
        .replace(f"organizing_department: {example['organizing_department']}\n", "organizing_department: zezhou\n")
        # Zezhou's own county (X509), where the template has one.
        .replace(f'county_code: "{example.get("county_code")}"\n', 'county_code: "140525"\n')
        for line in old[: history + 1]
    ]
    assert new[0] == "# yaml-language-server: $schema=../../../schemas/json/application.schema.json\n"
    assert new[history + 1 :] == ["  - {date: 2026-11-26, event: submitted}\n"]
    assert created.path == "registry/applications/zezhou/2026-zezhou-002.yml"
    assert "history" not in created.fill_in and "id" not in created.fill_in


def test_new_applications_validate_as_written_apart_from_the_change_templates_center(mini):
    for kind, number in (("certification", "002"), ("direct-certification", "003"), ("change", "004")):
        result = run_cli("new-application", "--today", TODAY.isoformat(), "--department", "zezhou", "--id", f"2026-zezhou-{number}",
                         "--kind", kind, cwd=mini.base)
        assert result.code == 0, result.stderr
        assert result.stdout.startswith(f"已创建 registry/applications/zezhou/2026-zezhou-{number}.yml")
        assert f"运行 ticreg validate registry/applications/zezhou/2026-zezhou-{number}.yml" in result.stdout
    assert "center_id 现为示例值“example-center”" in result.stdout
    report = mini.validate("registry/applications/zezhou")
    change = (TEMPLATES / "application-change.yml").read_text(encoding="utf-8")
    center_line = lines_of(change).index("center_id: example-center\n") + 1
    assert report.findings == [
        {
            "path": "registry/applications/zezhou/2026-zezhou-004.yml",
            "line": center_line,
            "column": 12,
            "rule": "X502",
            "severity": "error",
            "article": "登记册数据规范",
            "message": "center_id 引用的“example-center”不存在于 registry/centers/（登记册数据规范）",
        }
    ]


def test_default_kind_is_certification_and_records_follow(mini, cli):
    code, _, err = cli(mini.base, "new-application", "--today", TODAY.isoformat(), "--department", "zezhou", "--id", "2026-zezhou-002")
    assert code == 0, err
    path = mini.root / "applications" / "zezhou" / "2026-zezhou-002.yml"
    data = mini.read_data(path)
    assert data["kind"] == "certification" and [e["event"] for e in data["history"]] == ["submitted"]
    submitted = data["history"][0]["date"]
    before = path.read_text(encoding="utf-8")
    # The department approves the same day (never after today, whatever day the test runs).
    code, _, err = cli(mini.base, "record", "--today", TODAY.isoformat(), "department-approved", "2026-zezhou-002", "--date", submitted.isoformat(),
                       "--ref", "泽科发〔2026〕30号")
    assert code == 0, err
    assert inserted(before, path.read_text(encoding="utf-8")) == [
        f"  - {{date: {submitted.isoformat()}, event: department-approved, document_number: 泽科发〔2026〕30号}}\n"
    ]


@pytest.mark.parametrize("department,application_id,expected", [
    ("zezhou", "../../../evil", "申报代号“../../../evil”无效"),
    ("zezhou", "a/b", "申报代号“a/b”无效"),
    ("zezhou", "..", "申报代号“..”无效"),
    ("zezhou", "2026-Zezhou-002", "无效"),
    ("zezhou", "-2026", "无效"),
    ("zezhou", "2026-", "无效"),
    ("../centers", "2026-zezhou-002", "组织管理部门代号“../centers”无效"),
    ("nowhere", "2026-nowhere-001", "组织管理部门“nowhere”不在 registry/departments.yml 中"),
])
def test_new_application_refuses_bad_names(mini, cli, department, application_id, expected):
    before = sorted(p.relative_to(mini.base) for p in mini.base.rglob("*"))
    code, _, err = cli(mini.base, "new-application", "--today", TODAY.isoformat(), "--department", department, "--id", application_id)
    assert code == 2
    assert expected in err
    assert sorted(p.relative_to(mini.base) for p in mini.base.rglob("*")) == before


def test_new_application_never_overwrites(mini):
    before = mini.application.read_bytes()
    with pytest.raises(UsageError, match="已存在，不会覆盖"):
        new_application(mini.root, mini.base, "zezhou", "2024-zezhou-001", "certification", today=TODAY)
    assert mini.application.read_bytes() == before
    with pytest.raises(UsageError, match="已被 registry/applications/zezhou/2024-zezhou-001.yml 使用"):
        new_application(mini.root, mini.base, "gaoping", "2024-zezhou-001", "certification", today=TODAY)
    assert not (mini.root / "applications" / "gaoping").exists()
