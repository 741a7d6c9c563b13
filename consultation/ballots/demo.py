"""The ballots' part of `manage.py seed_demo`: every state of a ballot at once.

In 阳光社区 (阳光花园), written through the ballot services by the community's demo
staff account (`staff_yangguang`), after the register's demo:

- an OPEN owners' vote on adding lifts (加装电梯), area-weighted, results live: the
  `owner` login is on its roll and has not voted;
- an OPEN residents' meeting vote (household representatives) for `resident`;
- a CLOSED secret election of the owners' committee, with a few papers;
- a PUBLISHED residents' meeting decision of the first residents' group;
- a consultative owners' ballot (征询) whose official result is recorded from its
  source document (a small PDF made here);
- an OPEN rating survey (民主评议) of the residents' committee's work.

Each ballot's notice (公告) is recorded as published 20 days before it opened, on the
notice board, in the compound's WeChat group and on the website.

Some votes are cast by other demo residents (the roll in key order, a fixed
pattern), so no tally is empty. A ballot is found by its community and title: one
that exists is left as it is, so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from neighbourhoods.demo.context import DemoContext
from neighbourhoods.demo.data.places import YANGGUANG, YG
from neighbourhoods.models import Community, Compound, Person, ResidentsGroup
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import ScopeKind
from neighbourhoods.rolls.selectors import RollScope

from . import services
from .models import Ballot, RollEntry

STAFF = "staff_yangguang"
KEPT_FOR_LOGINS = ("owner", "resident")


@dataclass(frozen=True)
class Where:
    community: Community
    compound: Compound
    staff: object
    kept: frozenset[int]  # the persons of the `owner` and `resident` logins


@dataclass(frozen=True)
class DemoBallot:
    title: str
    state_zh: str
    note_zh: str
    make: Callable[[Where, str], Ballot]


def minimal_pdf(text: str) -> bytes:
    """A small, valid one-page PDF (ASCII text), with a correct cross-reference."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


#: The demo's notices (公告) were published this many days before voting opened:
#: more than any rule asks (an owners' assembly: 15 days, 物业管理条例 Art. 14), so
#: every demo ballot opens at once.
NOTICE_DAYS_AHEAD = 20
NOTICE_CHANNELS = ("notice_board", "wechat_group", "website")


def _create(where: Where, title: str, *, scope: RollScope, **settings) -> Ballot:
    ballot = services.ballot_create(
        community=where.community,
        title=title,
        actor=where.staff,
        scope=scope,
        **settings,
    )
    services.notice_record(
        ballot_id=ballot.pk,
        channels=NOTICE_CHANNELS,
        actor=where.staff,
        published_on=timezone.localdate() - dt.timedelta(days=NOTICE_DAYS_AHEAD),
    )
    # The opened ballot, with its roll snapshot's totals.
    return services.ballot_open(ballot_id=ballot.pk, actor=where.staff)


def _voters(ballot: Ballot, where: Where, *, every: int, limit: int) -> list[Person]:
    """Other demo residents on the roll: every n-th in key order, never the logins,
    each once (an owner of two units has two entries but votes once online)."""
    entries = (
        RollEntry.objects.filter(ballot=ballot, voter__isnull=False)
        .exclude(voter_id__in=where.kept)
        .select_related("voter")
        .order_by("key", "pk")
    )
    voters = {entry.voter_id: entry.voter for entry in entries[::every]}
    return list(voters.values())[:limit]


def _cast(ballot: Ballot, voters: list[Person], pattern: list[int]) -> None:
    """Each voter marks pattern[i % len(pattern)]: an option's position (1-based)."""
    options = list(ballot.options.order_by("position").values_list("pk", flat=True))
    for i, voter in enumerate(voters):
        choice = options[pattern[i % len(pattern)] - 1]
        services.vote_cast(ballot_id=ballot.pk, voter=voter, selection=[choice])


def _owners(where: Where) -> RollScope:
    return RollScope(ScopeKind.COMPOUND, where.compound.pk)


def _lift(where: Where, title: str) -> Ballot:
    ballot = _create(
        where,
        title,
        scope=_owners(where),
        compound=where.compound,
        kind="motion",
        options=None,
        basis=RollBasis.OWNERS,
        rule_id="owners-major",
        results_visibility=Ballot.ResultsVisibility.LIVE,
        description="拟在阳光花园1至4栋各单元加装电梯，费用按楼层分摊，"
        "详见公示的加装电梯工作方案。依《民法典》第二百七十八条，"
        "改建共有部分须由业主共同决定。",
    )
    _cast(ballot, _voters(ballot, where, every=3, limit=40), [1, 1, 1, 2, 1, 3])
    _invalid_sheet(ballot, where)
    return ballot


def _invalid_sheet(ballot: Ballot, where: Where) -> None:
    """One paper sheet handed in spoiled (废票), entered by staff with its number:
    the page and the tally sheet show it apart, counted as this community says."""
    voted = ballot.participations.values("entry_id")
    entry = (
        RollEntry.objects.filter(ballot=ballot, voter__isnull=False)
        .exclude(voter_id__in=where.kept)
        .exclude(pk__in=voted)
        .order_by("key")
        .first()
    )
    if entry is not None:
        services.paper_vote_enter(
            ballot_id=ballot.pk,
            entry_id=entry.pk,
            selection=None,
            sheet_number="纸-001",
            witness="演示监票人",
            actor=where.staff,
            invalid=True,
        )


def _meeting(where: Where, title: str) -> Ballot:
    ballot = _create(
        where,
        title,
        scope=RollScope(ScopeKind.COMMUNITY, where.community.pk),
        kind="motion",
        options=None,
        basis=RollBasis.HOUSEHOLD_REPRESENTATIVES,
        rule_id="residents-meeting",
        results_visibility=Ballot.ResultsVisibility.LIVE,
        description="拟将社区东侧闲置空地改建为居民健身广场，"
        "由户代表参加的居民会议表决（《城市居民委员会组织法》）。",
    )
    _cast(ballot, _voters(ballot, where, every=4, limit=50), [1, 1, 2, 1, 3])
    return ballot


CANDIDATES = 5
SEATS = 3


def _election(where: Where, title: str) -> Ballot:
    owners = list(
        Person.objects.filter(pk__in=_candidate_ids(where)).order_by("full_name")
    )
    ballot = _create(
        where,
        title,
        scope=_owners(where),
        compound=where.compound,
        kind="election",
        options=[f"{person.full_name}" for person in owners],
        basis=RollBasis.OWNERS,
        weighted_by_area=False,
        secrecy=Ballot.Secrecy.SECRET,
        seats=SEATS,
        min_choices=1,
        max_choices=SEATS,
        description=f"无记名投票，从{len(owners)}名候选人中选出{SEATS}名"
        "业主委员会委员。",
    )
    options = list(ballot.options.order_by("position").values_list("pk", flat=True))
    for i, voter in enumerate(_voters(ballot, where, every=5, limit=24)):
        marked = [options[(i + k) % len(options)] for k in range(1 + i % SEATS)]
        services.vote_cast(ballot_id=ballot.pk, voter=voter, selection=marked)
    services.ballot_close(ballot_id=ballot.pk, actor=where.staff)
    return ballot


def _candidate_ids(where: Where) -> list[int]:
    """Five nominated owners of 阳光花园 (the register's, not the logins')."""
    ids = (
        Person.objects.filter(
            ownerships__part__building__compound=where.compound,
            ownerships__nominated_voter=True,
        )
        .exclude(pk__in=where.kept)
        .order_by("id_number_hash")
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(ids[:CANDIDATES])


def _published(where: Where, title: str) -> Ballot:
    group = ResidentsGroup.objects.filter(community=where.community).order_by("number")
    ballot = _create(
        where,
        title,
        scope=RollScope(ScopeKind.RESIDENTS_GROUP, group.first().pk),
        kind="motion",
        options=None,
        basis=RollBasis.HOUSEHOLD_REPRESENTATIVES,
        rule_id="residents-meeting",
        description="第一居民小组户代表会议表决：在小组内增设两处分类垃圾投放点。",
    )
    voters = _voters(ballot, where, every=1, limit=10**6)
    _cast(ballot, voters[: len(voters) * 3 // 4], [1, 1, 1, 2, 1, 1, 3])
    services.ballot_close(ballot_id=ballot.pk, actor=where.staff)
    services.ballot_publish(ballot_id=ballot.pk, actor=where.staff)
    return ballot


def _consultative(where: Where, title: str) -> Ballot:
    ballot = _create(
        where,
        title,
        scope=_owners(where),
        compound=where.compound,
        kind="motion",
        options=None,
        basis=RollBasis.OWNERS,
        rule_id="owners-ordinary",
        consultative=True,
        description="本平台投票仅作征询；具有法律效力的表决在四川省业主共同决策"
        "电子投票系统进行，其结果据官方结果文件录入。",
    )
    _cast(ballot, _voters(ballot, where, every=6, limit=20), [1, 1, 2])
    services.ballot_close(ballot_id=ballot.pk, actor=where.staff)
    yes, no, abstain = ballot.options.order_by("position").values_list("pk", flat=True)
    heads, area = ballot.roll_heads, ballot.roll_area
    services.official_result_record(
        ballot_id=ballot.pk,
        option_counts={
            yes: (heads * 6 // 10, area * 6 // 10),
            no: (heads * 1 // 10, area * 1 // 10),
            abstain: (heads // 20, area // 20),
        },
        roll_heads=heads,
        roll_area=area,
        source_document=ContentFile(
            minimal_pdf("Yishi demo: official result of the e-voting system"),
            name="demo-official-result.pdf",
        ),
        actor=where.staff,
    )
    return ballot


def _rating(where: Where, title: str) -> Ballot:
    ballot = _create(
        where,
        title,
        scope=RollScope(ScopeKind.COMMUNITY, where.community.pk),
        kind="rating",
        options=["环境卫生", "便民服务", "矛盾调解", "居务公开"],
        basis=RollBasis.HOUSEHOLD_REPRESENTATIVES,
        results_visibility=Ballot.ResultsVisibility.LIVE,
        description="请为社区居民委员会本年度各项工作打分（1至5分，5分为最好）。",
    )
    options = list(ballot.options.order_by("position").values_list("pk", flat=True))
    for i, voter in enumerate(_voters(ballot, where, every=7, limit=30)):
        scores = {str(pk): 1 + (i + 2 * k) % 5 for k, pk in enumerate(options)}
        services.vote_cast(
            ballot_id=ballot.pk, voter=voter, selection={"ratings": scores}
        )
    return ballot


BALLOTS = (
    DemoBallot(
        "阳光花园加装电梯业主表决",
        "投票中",
        "业主共同决定（重大事项），按面积和人数计，页面列出车位和废票的计票口径"
        "（含一张工作人员录入的废票）；owner 账号可以立即投票",
        _lift,
    ),
    DemoBallot(
        "阳光社区居民会议：闲置空地改建健身广场",
        "投票中",
        "户代表参加的居民会议表决；resident 账号可以立即投票",
        _meeting,
    ),
    DemoBallot(
        "阳光花园第二届业主委员会选举",
        "已截止",
        f"无记名选举，应选{SEATS}名，选票已混合，待公布",
        _election,
    ),
    DemoBallot(
        "第一居民小组：增设分类垃圾投放点",
        "已公布",
        "居民会议决定，结果已公布",
        _published,
    ),
    DemoBallot(
        "阳光花园续聘物业服务企业意见征询",
        "已公布（官方结果）",
        "征询性业主投票，已录入省级电子投票系统的官方结果",
        _consultative,
    ),
    DemoBallot(
        "阳光社区居民委员会年度工作评议",
        "投票中",
        "评议打分（1至5分），resident 账号可以打分",
        _rating,
    ),
)


def _where() -> Where:
    community = Community.objects.get(code=YG)
    kept = Person.objects.filter(user__username__in=KEPT_FOR_LOGINS)
    return Where(
        community=community,
        compound=Compound.objects.get(slug=YANGGUANG),
        staff=get_user_model().objects.get(username=STAFF),
        kept=frozenset(kept.values_list("pk", flat=True)),
    )


def seed(*, context: DemoContext) -> list[str]:
    """Write the demo ballots that are missing; return the report lines."""
    where = _where()
    lines = ["投票演示 Ballots demo（阳光社区，由 staff_yangguang 管理）："]
    created = 0
    for spec in BALLOTS:
        ballot = Ballot.objects.filter(
            community=where.community, title=spec.title
        ).first()
        if ballot is None:
            ballot = spec.make(where, spec.title)
            created += 1
        lines.append(f"  【{spec.state_zh}】{spec.title}：{spec.note_zh}")
        lines.append(f"      {context.url}ballots/{ballot.pk}/")
    lines.append(
        f"  本次新建投票 {created} 项。 Ballots created this run: {created}."
        if created
        else "  投票已是最新，本次未新建。 Ballots already up to date."
    )
    return lines
