"""Reads of decision records shaped for one page: a matter with every step record,
a community's or a party body's matters, the proposals and their support.

    members.py    who sits on a body on a day (`voting_members`)
    disclosures.py  the matter's entries on the disclosure board (read through the
                  board's own selector)
    proposals.py  support against the convening threshold, the agenda due date
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from consultation.ballots.domain.wording import decision_wording
from neighbourhoods.models import Body, Community, Person

from ..domain.categories import CATEGORY_LABELS_ZH, Category
from ..domain.meetings import BODY_KINDS, MEETING_LABELS_ZH, STEP_MEETINGS, MeetingKind
from ..domain.procedure import (
    MEETING_STEPS,
    Config,
    State,
    Status,
    Step,
    revision_targets,
    sequence,
    step_label,
)
from ..models import (
    Attachment,
    Matter,
    MatterStep,
    Meeting,
    MeetingAttendance,
    ProposalSupport,
    ResidentProposal,
)
from .disclosures import DISCLOSURE_STEPS, matter_disclosures
from .members import expected_members, voting_members
from .proposals import agenda_deadline, is_overdue, support_progress

OUTCOME_WORDS = {
    "passed": "通过",
    "rejected": "未通过",
    "quorum_missed": "到会人数未达到要求，会议无效，须重新召开",
    "done": "已完成",
}


def config_of(matter: Matter) -> Config:
    return Config(merge_first_steps=matter.merged_first_steps)


def matter_or_none(matter_id: int) -> Matter | None:
    return Matter.objects.select_related("community").filter(pk=matter_id).first()


def _summary(line: MatterStep, config: Config) -> str:
    if line.kind == MatterStep.Kind.SUPERVISION:
        who = line.supervisor.full_name if line.supervisor else ""
        return f"居务监督委员会意见（{who}）：{line.text}"
    label = step_label(Step(line.step), config) if line.step else ""
    if line.kind == MatterStep.Kind.REVISION:
        return f"退回修改，重新从“{label}”开始：{line.text}"
    if line.kind == MatterStep.Kind.END:
        return f"事项终止：{line.text}"
    head = f"{label}：{OUTCOME_WORDS.get(line.outcome, '')}"
    meeting = line.meeting
    if meeting is not None:
        head += (
            f"（{MEETING_LABELS_ZH[MeetingKind(meeting.kind)]}，"
            f"{timezone.localtime(meeting.held_at):%Y年%m月%d日}，{meeting.place}；"
            f"应到 {meeting.expected_count} 人，实到 {meeting.present_count} 人，"
            f"同意 {meeting.yes_count} 人）"
        )
    return f"{head}{'：' + line.text if line.text else ''}"


def _meeting_view(meeting: Meeting) -> dict:
    rows = list(meeting.attendance.all())
    return {
        "meeting": meeting,
        "kind_label": MEETING_LABELS_ZH[MeetingKind(meeting.kind)],
        "wording": decision_wording(meeting.evaluation, provisional=False)
        if meeting.evaluation
        else None,
        "needs_legal_review": bool(meeting.evaluation.get("needs_legal_review")),
        "law": meeting.evaluation.get("law", ""),
        "present": [row.person for row in rows if row.present],
        "confirmed": sum(1 for row in rows if row.present and row.confirmed_at),
        "present_named": sum(1 for row in rows if row.present),
    }


def _timeline(matter: Matter) -> list[dict]:
    config = config_of(matter)
    lines = (
        MatterStep.objects.filter(matter=matter)
        .select_related(
            "meeting",
            "meeting__body",
            "meeting__co_body",
            "meeting__ballot",
            "supervisor",
        )
        .prefetch_related(
            Prefetch(
                "meeting__attendance",
                queryset=MeetingAttendance.objects.select_related("person").order_by(
                    "person__full_name"
                ),
            )
        )
    )
    return [
        {
            "id": line.pk,
            "line": line,
            "label": step_label(Step(line.step), config) if line.step else "",
            "summary": _summary(line, config),
            "meeting": line.meeting,
            "meeting_view": _meeting_view(line.meeting) if line.meeting else None,
        }
        for line in lines
    ]


def _progress(matter: Matter) -> list[dict]:
    """Each step of the procedure: done, current or to come."""
    config = config_of(matter)
    steps = sequence(config)
    done = set(
        MatterStep.objects.filter(
            matter=matter, kind=MatterStep.Kind.STEP, outcome__in=["passed", "done"]
        ).values_list("step", flat=True)
    )
    current = matter.awaiting_step
    return [
        {
            "step": step.value,
            "label": step_label(step, config),
            "state": "current"
            if step.value == current
            else "done"
            if step.value in done
            else "todo",
        }
        for step in steps
    ]


def matter_page(matter_id: int) -> dict | None:
    """A matter with every step record, in a fixed number of queries."""
    matter = matter_or_none(matter_id)
    if matter is None:
        return None
    awaiting = Step(matter.awaiting_step) if matter.awaiting_step else None
    config = config_of(matter)
    return {
        "matter": matter,
        "category_label": CATEGORY_LABELS_ZH[Category(matter.category)],
        "timeline": _timeline(matter),
        "progress": _progress(matter) if matter.follows_procedure else [],
        "awaiting": awaiting,
        "awaiting_label": step_label(awaiting, config) if awaiting else "",
        "awaiting_is_meeting": awaiting in MEETING_STEPS,
        "meeting_kinds": [
            (kind.value, MEETING_LABELS_ZH[kind])
            for kind in STEP_MEETINGS.get(awaiting, ())
        ],
        "revision_targets": [
            (step.value, step_label(step, config)) for step in revision_targets(config)
        ]
        if matter.status == Status.REJECTED
        else [],
        "attachments": list(Attachment.objects.filter(matter=matter)),
        "state": State(Status(matter.status), awaiting),
        "awaiting_is_disclosure": awaiting in DISCLOSURE_STEPS
        and matter.status == Status.IN_PROGRESS,
    }


def matter_context(matter_id: int) -> dict | None:
    """What an editor's context page shows beside its text, from the records: the
    matter's state, the procedure's steps and its published disclosures."""
    matter = matter_or_none(matter_id)
    if matter is None:
        return None
    awaiting = Step(matter.awaiting_step) if matter.awaiting_step else None
    return {
        "matter": matter,
        "progress": _progress(matter) if matter.follows_procedure else [],
        "awaiting_label": step_label(awaiting, config_of(matter)) if awaiting else "",
        "disclosures": [
            row for row in matter_disclosures(matter.pk) if row["entry"].published
        ],
    }


def context_pages_of(matter: Matter) -> list:
    """The editors' live, public context pages about a matter (records.pages)."""
    return list(matter.context_pages.live().public().order_by("title"))


def matters_of_community(community: Community, *, limit: int = 20) -> list[Matter]:
    return list(
        Matter.objects.filter(community=community).order_by("-created_at")[:limit]
    )


def decisions_of_body(body_id: int, *, limit: int = 20) -> list[Matter]:
    """Matters on which this party body held a meeting that passed, newest first
    (the party-branch page's published decisions)."""
    ids = Meeting.objects.filter(
        Q(body_id=body_id) | Q(co_body_id=body_id), outcome="passed"
    ).values("matter_id")
    return list(Matter.objects.filter(pk__in=ids).order_by("-updated_at")[:limit])


def community_bodies(community: Community) -> list[Body]:
    return list(Body.objects.filter(community=community).order_by("kind", "name"))


def meeting_form_context(matter: Matter, kind: str, body_ids: dict) -> dict:
    """The bodies a step's meeting may be held by, the ones chosen (by id, else the
    first of the right kind), and the members it expects today."""
    main_kinds, co_kinds = BODY_KINDS[MeetingKind(kind)]
    bodies = Body.objects.filter(community=matter.community).order_by("pk")
    mains = [b for b in bodies if b.kind in main_kinds]
    cos = [b for b in bodies if b.kind in co_kinds]
    body = next((b for b in mains if b.pk == body_ids.get("body")), None) or (
        mains[0] if mains else None
    )
    co_body = next((b for b in cos if b.pk == body_ids.get("co_body")), None) or (
        cos[0] if cos else None
    )
    chosen = [b for b in (body, co_body) if b]
    ids = expected_members(kind, chosen, on=timezone.localdate()) if chosen else []
    return {
        "bodies": mains,
        "co_bodies": cos,
        "body": body,
        "co_body": co_body,
        "expected": list(Person.objects.filter(pk__in=ids).order_by("full_name")),
        "is_residents_meeting": kind == MeetingKind.RESIDENTS_MEETING,
    }


def proposals_of_community(community: Community) -> list[dict]:
    proposals = (
        ResidentProposal.objects.filter(community=community)
        .annotate(support_count=Count("supports"))
        .order_by("-created_at")
    )
    return [{"proposal": p, "overdue": is_overdue(p)} for p in proposals]


def proposal_or_none(proposal_id: int) -> ResidentProposal | None:
    return (
        ResidentProposal.objects.select_related("community", "compound", "matter")
        .filter(pk=proposal_id)
        .first()
    )


def proposal_page(proposal: ResidentProposal, user) -> dict:
    found, electorate = support_progress(proposal)
    person = getattr(user, "person", None) if user.is_authenticated else None
    mine = (
        ProposalSupport.objects.filter(proposal=proposal, person=person).first()
        if person is not None
        else None
    )
    return {
        "proposal": proposal,
        "progress": found,
        "rule": found.rule,
        "deadline": agenda_deadline(proposal),
        "overdue": is_overdue(proposal),
        "my_support": mine,
        "may_support": person is not None and electorate.eligible(person.pk),
        "supports": proposal.supports.count(),
        "paper": proposal.supports.filter(channel="paper").count(),
        "group_acts": list(proposal.group_acts.select_related("group")),
    }


def overdue_proposals(community: Community) -> list[ResidentProposal]:
    met = ResidentProposal.objects.filter(
        community=community, status=ResidentProposal.Status.MET
    )
    return [p for p in met if is_overdue(p)]


__all__ = [
    "DISCLOSURE_STEPS",
    "community_bodies",
    "decisions_of_body",
    "matter_disclosures",
    "matter_or_none",
    "matter_page",
    "matters_of_community",
    "meeting_form_context",
    "overdue_proposals",
    "proposal_or_none",
    "proposal_page",
    "proposals_of_community",
    "voting_members",
]
