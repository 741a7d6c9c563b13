"""The pacts' part of `manage.py seed_demo`:

* 阳光社区居民公约 in force (third version): the first (2019) and second (2022)
  versions were adopted on paper by the residents' meeting before the platform
  existed and are recorded through the ballots' official-result path with a source
  document; the third went through public comment (comments handled), the legality
  review, an online vote of the household representatives, filing with the street
  office, and is in force. Adoption and filing are entries of the disclosure chain.
* 阳光花园小区自治公约 in public comment (period counted by yishi.deadlines from five
  days ago): one comment handled, one open; the `resident` login can comment at once.

Written through the services (the community's demo staff account); dates of the
third version and of the convention are relative to the day it runs. A pact found by
its title is left as it is, so a second run writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from consultation.ballots import services as ballots
from consultation.ballots.demo import minimal_pdf
from consultation.ballots.models import RollEntry
from consultation.disclosures import services as disclosures
from consultation.records import selectors as record_selectors
from consultation.records import services as records
from neighbourhoods.demo.context import DemoContext
from neighbourhoods.demo.data.places import YG
from neighbourhoods.models import Community, Compound, Household
from neighbourhoods.pages import CommunityPage, CompoundPage

from . import services
from .demo_data import CONVENTION_BODY, V1, V2, V3
from .domain.lifecycle import CHECK_CODES
from .models import PactPage, PactVersion

STAFF = "staff_yangguang"
PACT = "阳光社区居民公约"
CONVENTION = "阳光花园小区自治公约"
BASIS = "household_representatives"
REVIEWER = "东区司法局法律顾问"
AUTHORITY = "攀枝花市东区炳草岗街道办事处"


def _pdf(name: str) -> ContentFile:
    return ContentFile(minimal_pdf(f"Yishi demo: {name}"), name=f"{name}.pdf")


def _prepare(version, staff, *, opened: dt.date, signed: dt.date) -> None:
    services.comment_period_open(
        version_id=version.pk, actor=staff, days=15, today=opened
    )
    version.refresh_from_db()
    services.comment_period_end(
        version_id=version.pk,
        actor=staff,
        today=version.comment_last_day + dt.timedelta(days=1),
    )
    services.review_sign_off(
        version_id=version.pk,
        checks=CHECK_CODES,
        reviewer_name=REVIEWER,
        actor=staff,
        today=signed,
    )


def _on_paper(page, version, staff, *, year: int, heads: int, url: str) -> None:
    """A version adopted by the residents' meeting on paper, filed, in force."""
    _prepare(version, staff, opened=dt.date(year, 3, 1), signed=dt.date(year, 4, 1))
    services.paper_adoption_record(
        version_id=version.pk,
        basis=BASIS,
        yes=heads * 7 // 10,
        no=heads // 20,
        abstain=heads // 50,
        roll_heads=heads,
        source_document=_pdf(f"minutes-{year}"),
        adopted_on=dt.date(year, 4, 20),
        notice_on=dt.date(year, 4, 5),
        actor=staff,
        record_url=url,
    )
    _file_and_force(version, staff, dt.date(year, 5, 8), url)


def _file_and_force(version, staff, day: dt.date, url: str) -> None:
    services.filing_record(
        version_id=version.pk,
        authority=AUTHORITY,
        filed_on=day,
        receipt=_pdf(f"filing-{version.pk}"),
        actor=staff,
        record_url=url,
    )
    services.force_enter(version_id=version.pk, actor=staff, from_day=day)


def _comments(version, staff, users, *, opened: dt.date) -> None:
    """Comments from the comment period: all handled (the version went on)."""
    when = timezone.make_aware(
        dt.datetime.combine(opened + dt.timedelta(days=2), dt.time(19))
    )
    first = services.comment_post(
        version_id=version.pk,
        article_key="yg-3",
        actor=users["resident"],
        now=when,
        text="建议增加“不得高空抛物”，去年三栋楼下差点砸到孩子。",
    )
    second = services.comment_post(
        version_id=version.pk,
        article_key="yg-4",
        actor=users["owner"],
        now=when,
        text="电动自行车在楼道充电很危险，建议写进公约。",
    )
    services.comment_agree(comment_id=first.pk, actor=users["owner"], now=when)
    services.comment_post(
        version_id=version.pk,
        article_key="yg-3",
        actor=staff,
        parent_id=first.pk,
        text="感谢建议，起草小组将在第三条增加一项。",
        now=when,
    )
    services.comment_handle(
        comment_id=first.pk,
        handling="accepted",
        actor=staff,
        reason="已在第三条增加第（四）项“不得高空抛物”。",
    )
    services.comment_handle(
        comment_id=second.pk,
        handling="partly",
        actor=staff,
        reason="增加禁止楼道充电；集中充电桩的建设另行协商。",
    )


PROCEDURE = (
    ("party_proposal", "party_committee"),
    ("two_committees", "two_committees"),
    ("party_members_review", "party_members"),
)


def _procedure_matter(community, staff, *, held: dt.datetime):
    """阳光社区 follows 四议两公开 (the records demo switches it on): the amendment's
    matter, its first three steps' meetings held, awaiting the residents' vote."""
    matter = records.matter_create(
        community=community,
        actor=staff,
        title=f"修订《{PACT}》",
        description="根据居民意见修订居民公约第三条、第四条。",
        source="committee_proposal",
        category="charter_pact",
    )
    for i, (step, kind) in enumerate(PROCEDURE):
        context = record_selectors.meeting_form_context(matter, kind, {})
        present = [person.pk for person in context["expected"]]
        records.meeting_record(
            matter_id=matter.pk,
            actor=staff,
            data=records.MeetingInput(
                step=step,
                kind=kind,
                held_at=held + dt.timedelta(days=3 * i),
                place="阳光社区党群服务中心二楼会议室",
                text=f"审议《{PACT}》修订稿。",
                vote_method="show_of_hands",
                body_id=context["body"].pk if context["body"] else None,
                co_body_id=context["co_body"].pk if context["co_body"] else None,
                present_ids=tuple(present),
                yes=len(present),
            ),
        )
    return matter


def _vote(version, staff, kept: set[int]) -> None:
    """The household representatives vote online; three in four take part."""
    matter = _procedure_matter(
        version.page.community, staff, held=timezone.now() - dt.timedelta(days=28)
    )
    services.vote_open(
        version_id=version.pk, basis=BASIS, actor=staff, matter_id=matter.pk
    )
    version.refresh_from_db()
    ballot = version.ballot
    if ballot.status == "draft":  # the rule's notice period (10 days) came first
        ballots.notice_record(
            ballot_id=ballot.pk,
            channels=("notice_board", "wechat_group"),
            actor=staff,
            published_on=timezone.localdate() - dt.timedelta(days=20),
        )
        ballots.ballot_open(ballot_id=ballot.pk, actor=staff)
    yes, no, abstain = ballot.options.order_by("position").values_list("pk", flat=True)
    entries = list(
        RollEntry.objects.filter(ballot=ballot, voter__isnull=False)
        .exclude(voter_id__in=kept)
        .select_related("voter")
        .order_by("key")
    )
    pattern = [yes, yes, yes, yes, no, yes, abstain]
    for i, entry in enumerate(entries[: len(entries) * 3 // 4]):
        ballots.vote_cast(
            ballot_id=ballot.pk, voter=entry.voter, selection=[pattern[i % 7]]
        )
    ballots.ballot_close(ballot_id=ballot.pk, actor=staff)
    ballots.ballot_publish(ballot_id=ballot.pk, actor=staff)
    services.vote_record(version_id=version.pk, actor=staff)


def _publish_entries(version) -> None:
    """The supervisory committee approves the adoption and filing entries; they are
    linked into the community's chain."""
    for entry_id in (version.adoption_entry_id, version.filing_entry_id):
        if entry_id:
            disclosures.disclosure_review(
                entry_id=entry_id, actor=None, approve=True, opinion="同意公开。"
            )
            disclosures.disclosure_publish(entry_id=entry_id, actor=None)


def _pact(community, staff, users, url: str) -> PactPage:
    parent = CommunityPage.objects.get(community=community)
    page = services.pact_create(
        parent=parent,
        kind="residents_pact",
        title=PACT,
        slug="residents-pact",
        community=community,
        actor=staff,
        body=V1,
    )
    heads = Household.objects.filter(community=community).count()
    v1 = PactVersion.objects.get(page=page, number=1)
    _on_paper(page, v1, staff, year=2019, heads=heads, url=url + page.url)
    v2 = services.pact_amend(page_id=page.pk, actor=staff, body=V2)
    _on_paper(page, v2, staff, year=2022, heads=heads, url=url + page.url)
    v3 = services.pact_amend(page_id=page.pk, actor=staff, body=V3)
    today = timezone.localdate()
    opened = today - dt.timedelta(days=60)
    services.comment_period_open(version_id=v3.pk, actor=staff, days=15, today=opened)
    _comments(v3, staff, users, opened=opened)
    v3.refresh_from_db()
    services.comment_period_end(
        version_id=v3.pk, actor=staff, today=v3.comment_last_day + dt.timedelta(days=1)
    )
    services.review_sign_off(
        version_id=v3.pk,
        checks=CHECK_CODES,
        reviewer_name=REVIEWER,
        actor=staff,
        today=today - dt.timedelta(days=30),
    )
    kept = {u.person.pk for u in users.values()}
    _vote(v3, staff, kept)
    _file_and_force(v3, staff, today, url + page.url)
    services.pledge_make(version_id=v3.pk, actor=users["owner"])
    for version in PactVersion.objects.filter(page=page).order_by("number"):
        _publish_entries(version)
    return page


def _convention(community, staff, users) -> PactPage:
    compound = Compound.objects.get(name="阳光花园")
    parent = CompoundPage.objects.get(compound=compound)
    page = services.pact_create(
        parent=parent,
        kind="compound_convention",
        title=CONVENTION,
        slug="convention",
        community=community,
        compound=compound,
        actor=staff,
        body=CONVENTION_BODY,
    )
    version = PactVersion.objects.get(page=page, number=1)
    opened = timezone.localdate() - dt.timedelta(days=5)
    services.comment_period_open(
        version_id=version.pk, actor=staff, days=20, today=opened
    )
    when = timezone.now() - dt.timedelta(days=3)
    handled = services.comment_post(
        version_id=version.pk,
        article_key="hy-4",
        actor=users["owner"],
        now=when,
        text="建议明确外卖、快递车辆也须限速。",
    )
    services.comment_handle(
        comment_id=handled.pk,
        handling="accepted",
        actor=staff,
        reason="采纳，第四条将写明“含外卖、快递车辆”。",
    )
    services.comment_post(
        version_id=version.pk,
        article_key="hy-3",
        actor=users["owner"],
        now=when,
        text="装修施工时间也请写进来。",
    )
    return page


def seed(*, context: DemoContext) -> list[str]:
    community = Community.objects.get(code=YG)
    existing = set(
        PactPage.objects.filter(title__in=(PACT, CONVENTION)).values_list(
            "title", flat=True
        )
    )
    users = {
        u.username: u
        for u in get_user_model()
        .objects.filter(username__in=("resident", "owner"))
        .select_related("person")
    }
    staff = get_user_model().objects.get(username=STAFF)
    url = context.url.rstrip("/")
    lines = ["居民公约 pacts:"]
    if PACT not in existing:
        _pact(community, staff, users, url)
    if CONVENTION not in existing:
        _convention(community, staff, users)
    for page in PactPage.objects.filter(title__in=(PACT, CONVENTION)).order_by("pk"):
        states = "、".join(
            f"第{v.number}版{v.get_state_display()}"
            for v in page.versions.order_by("number")
        )
        lines.append(f"  {page.title}: {states} — {url}{page.url}")
    return lines
