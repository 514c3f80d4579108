"""The vocabulary of history events and which fields each one carries.

The order in which events may happen (the state machine) is the process
engine's business; here is only what an event *is*, so its shape can be
checked: the fields it must have and the fields it may have.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventKind:
    label: str
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()


def _kind(label: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()) -> EventKind:
    return EventKind(label, frozenset(required), frozenset(optional))


# What each Art. 9 stage leaves behind in the Bureau's file, besides the
# event's date: written on the stage's own event (it passed) or on a
# rejection at that stage. All optional: the Bureau may not publish them.
STAGE_EVIDENCE: dict[str, tuple[str, ...]] = {
    "department-review": ("reviewed_by",),
    "bureau-recheck": ("bureau_staff", "joint_departments", "conclusion"),
    "site-inspection": ("bureau_staff", "joint_departments", "conclusion"),
    "expert-review": ("panel_size", "conclusion", "score"),
    "meeting": ("session",),
}

# The event that records a stage as passed.
STAGE_PASSED_BY: dict[str, str] = {
    "department-review": "department-approved",
    "bureau-recheck": "bureau-rechecked",
    "site-inspection": "site-inspected",
    "expert-review": "expert-reviewed",
    "meeting": "meeting-approved",
}

# A stage's conclusion as the Bureau's file writes it; the event says the same.
CONCLUSIONS: dict[str, str] = {"passed": "通过", "not-passed": "未通过"}

EVIDENCE_FIELDS = tuple(dict.fromkeys(name for names in STAGE_EVIDENCE.values() for name in names))

# Fields every event has (date, event) and may have (note) are not listed.
APPLICATION_EVENTS: dict[str, EventKind] = {
    "submitted": _kind("单位申报"),
    "department-approved": _kind("组织管理部门审核通过", optional=("document_number", "reviewed_by")),
    "bureau-rechecked": _kind("市科技局复核通过", optional=STAGE_EVIDENCE["bureau-recheck"]),
    "site-inspected": _kind("实地考察完成", optional=STAGE_EVIDENCE["site-inspection"]),
    "expert-reviewed": _kind("专家评审通过", optional=STAGE_EVIDENCE["expert-review"]),
    "meeting-approved": _kind("局党组会议研究通过", optional=STAGE_EVIDENCE["meeting"]),
    "publicity-started": _kind("公示发布", optional=("notice_url",)),
    "objection-raised": _kind("公示期内收到异议"),
    "objection-upheld": _kind("异议成立"),
    "objection-dismissed": _kind("异议不成立"),
    # notice_url: the publicity notice the certification followed (H710).
    "certified": _kind("正式认定", required=("document_number", "center_id"), optional=("notice_url",)),
    "change-approved": _kind("变更获批", required=("document_number",)),
    # A rejection may carry what its stage left behind (H704 matches them to the stage).
    "rejected": _kind("未予通过", required=("stage", "reason"), optional=EVIDENCE_FIELDS),
    "withdrawn": _kind("申请撤回", optional=("reason",)),
    # A correction before department approval: the profile fields it changes are listed.
    "amended": _kind("申报内容更正", required=("fields",), optional=("reason",)),
}

# The review stages at which an application may be rejected.
REVIEW_STAGES: dict[str, str] = {
    "department-review": "组织管理部门审核",
    "bureau-recheck": "市科技局复核",
    "site-inspection": "实地考察",
    "expert-review": "专家评审",
    "meeting": "局党组会议研究",
    "publicity": "公示",
    "change-review": "变更审核",
}

CENTER_EVENTS: dict[str, EventKind] = {
    "certified": _kind("认定", required=("document_number", "application_id")),
    "evaluated": _kind(
        "绩效评估",
        required=("outcome",),
        optional=("excellent", "rectification_deadline", "evaluator", "document_number"),
    ),
    "changed": _kind(
        "重大事项变更",
        required=("application_id", "document_number"),
        optional=(
            "former_name",
            "new_name",
            "former_research_directions",
            "new_research_directions",
            "restructuring",
        ),
    ),
    "revoked": _kind("撤销", required=("document_number", "reason")),
}

EVALUATION_OUTCOMES: dict[str, str] = {"retain": "保留", "rectify": "整改", "revoke": "撤销"}
