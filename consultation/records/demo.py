"""The decision records' part of `manage.py seed_demo`, dated relative to today.

In 阳光社区, which switches 四议两公开 on, written through the records services by
`staff_yangguang` (meetings held some days before the day the demo runs):

- a matter waiting for the party members' meeting (steps 1 and 2 recorded);
- a matter whose resolution is disclosed and open for objections (steps 1–5);
- a completed matter with every step record, a supervision opinion and the result
  disclosed;
- a residents' proposal gathering supports (online and on paper) that the
  `resident` login can support;
- an editor's context page about the completed matter, under the community's page.

A matter or proposal is found by its community and title: one that exists is left
as it is, so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from consultation.ballots.services import voting_settings_of, voting_settings_update
from consultation.disclosures import services as disclosure_services
from neighbourhoods.demo.context import DemoContext
from neighbourhoods.demo.data.places import YG
from neighbourhoods.models import Body, Community, Person
from neighbourhoods.pages import CommunityPage

from . import selectors, services
from .models import Matter, ResidentProposal
from .pages import MatterContextPage

STAFF = "staff_yangguang"
KEPT_FOR_LOGINS = ("owner", "resident")
WHOLE = ("resolution_disclosed", "implementation", "result_disclosed")
DISCLOSED_BY_BOARD = ("resolution_disclosed", "result_disclosed")


@dataclass(frozen=True)
class Where:
    community: Community
    staff: object
    today: dt.datetime


def _meeting(where: Where, matter: Matter, step: str, kind: str, days_ago: int):
    """Hold a step's meeting: four in five of those expected attend, all but one
    present agree (the one who dissents says why)."""
    context = selectors.meeting_form_context(matter, kind, {})
    expected = [person.pk for person in context["expected"]]
    present = expected[: max(1, (len(expected) * 4 + 4) // 5)]
    data = services.MeetingInput(
        step=step,
        kind=kind,
        held_at=where.today - dt.timedelta(days=days_ago, hours=-9),
        place="阳光社区党群服务中心二楼会议室",
        text=f"审议《{matter.title}》实施方案（草案）。",
        vote_method="show_of_hands",
        body_id=context["body"].pk if context["body"] else None,
        co_body_id=context["co_body"].pk if context["co_body"] else None,
        present_ids=tuple(present),
        yes=len(present) - 1,
        no=1,
        dissent="一名成员建议先征求临街住户意见，已记录在案。",
    )
    services.meeting_record(matter_id=matter.pk, actor=where.staff, data=data)


STEPS = (
    ("party_proposal", "party_committee"),
    ("two_committees", "two_committees"),
    ("party_members_review", "party_members"),
    ("residents_resolution", "representatives_meeting"),
)
NOTES = {
    "implementation": "按决议组织施工，居务监督委员会全程监督，进度每周公开。",
}


def _matter(where: Where, title: str, description: str, *, meetings: int, then=()):
    matter = services.matter_create(
        community=where.community,
        actor=where.staff,
        title=title,
        description=description,
        source="resident_suggestion",
        category="public_welfare",
    )
    start = 10 * len(STEPS) + 5 * len(then)
    for i, (step, kind) in enumerate(STEPS[:meetings]):
        _meeting(where, matter, step, kind, days_ago=start - 10 * i)
    for i, step in enumerate(then):
        days_ago = 5 * (len(then) - i)
        if step in DISCLOSED_BY_BOARD:
            _disclose(where, matter, days_ago)
        else:
            services.matter_step_record(
                matter_id=matter.pk, actor=where.staff, step=step, text=NOTES[step]
            )
    return matter


def _disclose(where: Where, matter: Matter, days_ago: int) -> None:
    """The disclosure step through the board: staff submit the entry, the
    supervisory committee approves it (the system on its behalf), staff publish it
    — which records the step on the matter."""
    when = where.today - dt.timedelta(days=days_ago)
    entry = services.matter_disclose(
        matter_id=matter.pk, actor=where.staff, now=when - dt.timedelta(days=2)
    )
    disclosure_services.disclosure_review(
        entry_id=entry.pk, actor=None, approve=True, opinion="同意公开。"
    )
    disclosure_services.disclosure_publish(
        entry_id=entry.pk, actor=where.staff, now=when
    )


def _supervise(where: Where, matter: Matter) -> None:
    supervisor = (
        Person.objects.filter(
            memberships__body__community=where.community,
            memberships__body__kind=Body.Kind.SUPERVISORY,
        )
        .order_by("pk")
        .first()
    )
    if supervisor is not None:
        services.supervision_opinion_record(
            matter_id=matter.pk,
            actor=None,
            text="全程列席各次会议，程序符合规定，账目公开完整。",
            supervisor_id=supervisor.pk,
        )


MATTERS = (
    (
        "阳光花园北侧停车场改造",
        "拟将北侧空地改建为停车场，增加车位约40个，费用由公益金列支。",
        {"meetings": 2},
        "待党员大会审议",
    ),
    (
        "社区老年食堂建设",
        "拟在党群服务中心一楼设立老年食堂，为高龄老人提供助餐服务。",
        {"meetings": 4, "then": WHOLE[:1]},
        "决议已公开，公示期内接受意见",
    ),
    (
        "阳光花园雨污分流改造",
        "对小区1至4栋雨污管网进行分流改造，解决雨季积水问题。",
        {"meetings": 4, "then": WHOLE},
        "已完成，每一步均有记录",
    ),
)


def _proposal(where: Where) -> ResidentProposal:
    title = "增设电动自行车集中充电桩"
    found = ResidentProposal.objects.filter(
        community=where.community, title=title
    ).first()
    if found is not None:
        return found
    adults = (
        Person.objects.filter(
            home_community=where.community,
            residencies__is_representative=True,
            user__isnull=True,
        )
        .order_by("pk")
        .distinct()
    )
    people = list(adults[:9])
    proposal = services.proposal_create(
        community=where.community,
        actor=None,
        title=title,
        description="电动自行车在楼道充电有火灾隐患。提请居民会议讨论在各小区"
        "增设集中充电桩，费用和收费办法由居民会议决定。",
    )
    services.proposal_paper_supports_record(
        proposal_id=proposal.pk,
        actor=where.staff,
        person_ids=[person.pk for person in people],
        sheet="充电桩-001",
    )
    return proposal


CONTEXT_PAGE = {
    "title": "雨污分流改造：居民关心的几个问题",
    "slug": "yuwu-fenliu-wenda",
    "summary": "为什么要改、施工多久、费用从哪里来。",
    "body": (
        "<p>小区1至4栋建成较早，雨水和污水共用一条管道，雨季常常积水返味。</p>"
        "<p>改造费用由社区公益金和区里的老旧小区改造资金共同承担，不向居民收费。"
        "施工期间每栋楼分段开挖，每段不超过两周。</p>"
        "<p>下面是这件事从提议到完成的全部记录，随事项进展自动更新。</p>"
    ),
}


def _context_page(matter: Matter) -> MatterContextPage | None:
    """An editor's page about the completed matter (written once, then left)."""
    found = MatterContextPage.objects.filter(matter=matter).first()
    parent = CommunityPage.objects.filter(community=matter.community).first()
    if found is not None or parent is None:
        return found
    page = MatterContextPage(matter=matter, **CONTEXT_PAGE)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed(*, context: DemoContext) -> list[str]:
    """Write the demo records that are missing; return the report lines."""
    community = Community.objects.get(code=YG)
    if not voting_settings_of(community).siyi_enabled:
        voting_settings_update(community=community, actor=None, siyi_enabled=True)
    where = Where(
        community=community,
        staff=get_user_model().objects.get(username=STAFF),
        today=timezone.now(),
    )
    lines = ["议题演示 Decision records demo（阳光社区，四议两公开）："]
    for title, description, shape, note in MATTERS:
        matter = Matter.objects.filter(community=community, title=title).first()
        if matter is None:
            matter = _matter(where, title, description, **shape)
            if len(shape.get("then", ())) == len(WHOLE):
                _supervise(where, matter)
        lines.append(f"  【{note}】{title}")
        lines.append(f"      {context.url}matters/{matter.pk}/")
        page = _context_page(matter) if note == MATTERS[-1][-1] else None
        if page is not None:
            lines.append(
                f"      说明页 Context page: {context.url}{page.url.lstrip('/')}"
            )
    proposal = _proposal(where)
    lines.append(f"  【居民提议，征集支持中；resident 账号可以支持】{proposal.title}")
    lines.append(f"      {context.url}proposals/{proposal.pk}/")
    return lines
