"""A community with a pact's people: the drafting group (an editor), a supervisory
committee member, residents who are their households' representatives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from consultation.ballots import services as ballots
from consultation.ballots.demo import minimal_pdf
from neighbourhoods.models import Body
from neighbourhoods.pages import CommunityPage
from neighbourhoods.services import register_pages_sync
from residents_pact import services
from residents_pact.domain.lifecycle import CHECK_CODES
from tests.neighbourhoods.factories import (
    BodyFactory,
    CommunityFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    ResidencyFactory,
    StaffAssignmentFactory,
    UserFactory,
)


@dataclass
class Place:
    community: object
    staff: object
    supervisor: object
    residents: list  # users
    page: object  # the community page


def place_setup(residents: int = 3) -> Place:
    community = CommunityFactory()
    staff = StaffAssignmentFactory(community=community).user
    supervisory = BodyFactory(
        community=community, kind=Body.Kind.SUPERVISORY, name="居务监督委员会"
    )
    supervisor = UserFactory()
    MembershipFactory(body=supervisory, person__user=supervisor)
    users = []
    for _ in range(residents):
        user = UserFactory()
        person = PersonFactory(home_community=community, user=user)
        ResidencyFactory(
            person=person,
            household=HouseholdFactory(community=community),
            is_representative=True,
        )
        users.append(user)
    register_pages_sync(actor=None)
    return Place(
        community,
        staff,
        supervisor,
        users,
        CommunityPage.objects.get(community=community),
    )


def article(key: str, text: str, *items: str, title: str = "") -> dict:
    return {
        "type": "article",
        "id": key,
        "value": {
            "title": title,
            "text": text,
            "items": [
                {"type": "item", "value": i, "id": f"{key}-{n}"}
                for n, i in enumerate(items)
            ],
        },
    }


def chapter(title: str, key: str) -> dict:
    return {"type": "chapter", "value": title, "id": key}


BODY = [
    chapter("第一章 总则", "c1"),
    article("a1", "为建设和谐文明社区，根据有关法律，制定本公约。"),
    article("a2", "居民应当遵守法律法规，履行公民义务。"),
    article(
        "a3", "居民应当爱护公共绿地和公共设施。", "不得毁坏绿地", "不得占用消防通道"
    ),
    chapter("第二章 附则", "c2"),
    article("a4", "本公约自备案之日起施行。"),
]


def pact_create(place: Place, *, body=None, title="阳光社区居民公约"):
    return services.pact_create(
        parent=place.page,
        kind="residents_pact",
        title=title,
        community=place.community,
        actor=place.staff,
        body=body or BODY,
    )


def to_review(place, version, *, opened=dt.date(2026, 9, 1), days=7):
    services.comment_period_open(
        version_id=version.pk, actor=place.staff, days=days, today=opened
    )
    version.refresh_from_db()
    services.comment_period_end(
        version_id=version.pk,
        actor=place.staff,
        today=version.comment_last_day + dt.timedelta(days=1),
    )


def sign_off(place, version):
    return services.review_sign_off(
        version_id=version.pk,
        checks=CHECK_CODES,
        reviewer_name="街道司法所 王律师",
        actor=place.staff,
    )


def receipt() -> ContentFile:
    return ContentFile(minimal_pdf("filing receipt"), name="receipt.pdf")


def adopt_by_vote(place, version, *, yes_voters=None):
    services.vote_open(
        version_id=version.pk, basis="household_representatives", actor=place.staff
    )
    version.refresh_from_db()
    ballot = version.ballot
    if ballot.status == "draft":  # the rule asks for a notice period first
        ballots.notice_record(
            ballot_id=ballot.pk,
            channels=("notice_board",),
            actor=place.staff,
            published_on=timezone.localdate() - dt.timedelta(days=20),
        )
        ballots.ballot_open(ballot_id=ballot.pk, actor=place.staff)
    yes = ballot.options.order_by("position").first().pk
    for user in yes_voters if yes_voters is not None else place.residents:
        ballots.vote_cast(ballot_id=ballot.pk, voter=user.person, selection=[yes])
    ballots.ballot_close(ballot_id=ballot.pk, actor=place.staff)
    ballots.ballot_publish(ballot_id=ballot.pk, actor=place.staff)
    return services.vote_record(version_id=version.pk, actor=place.staff)


def bring_into_force(place, version, *, day=None):
    day = day or timezone.localdate()
    to_review(place, version)
    sign_off(place, version)
    adopt_by_vote(place, version)
    services.filing_record(
        version_id=version.pk,
        authority="某某街道办事处",
        filed_on=day,
        receipt=receipt(),
        actor=place.staff,
    )
    return services.force_enter(version_id=version.pk, actor=place.staff, from_day=day)
