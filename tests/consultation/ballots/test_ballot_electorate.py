"""The electorate on real ballots (issue 9 item 6): a part without a recorded area
blocks an area-weighted ballot until staff enter the area or confirm, on the record,
that it counts as zero; probationary party members (预备党员) are shown in the
register, left out of the party roll and told why at the ballot; a household
representative under 18 (in Asia/Shanghai days) is a roll problem, never a voter."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.ballots import services
from consultation.ballots.models import Ballot, RollEntry, ZeroAreaConfirmation
from neighbourhoods.models import Body, ExclusivePart, Membership
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from neighbourhoods.services import register_record_save
from tests.consultation.factories import owners_ballot, owners_compound
from tests.neighbourhoods.factories import (
    BodyFactory,
    MembershipFactory,
    PersonFactory,
    ResidencyFactory,
    StaffAssignmentFactory,
    UserFactory,
)
from yishi.audit import AuditEntry

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _no_area(i: int) -> int | None:
    return None if i in (0, 2) else 9000 + i


@pytest.fixture
def unmeasured():
    """A draft area-weighted owners' ballot whose units 1000 and 1002 have no area:
    (ballot, staff, the two parts)."""
    compound, community, _people, staff = owners_compound(4, area=_no_area)
    ballot = owners_ballot(compound, community, staff)
    parts = list(
        ExclusivePart.objects.filter(
            building__compound=compound, number__in=["1000", "1002"]
        ).order_by("number")
    )
    return ballot, staff, parts


def test_parts_without_an_area_block_opening_and_are_listed(unmeasured):
    ballot, staff, _parts = unmeasured
    with pytest.raises(services.BallotError) as refused:
        services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert (refused.value.status, refused.value.code) == (409, "area_missing")
    assert "1000室" in refused.value.message
    assert "1002室" in refused.value.message
    assert "1001室" not in refused.value.message
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.DRAFT
    assert not RollEntry.objects.filter(ballot=ballot).exists()


def test_confirmed_as_zero_the_ballot_opens_and_the_record_stays(unmeasured):
    ballot, staff, parts = unmeasured
    services.zero_area_confirm(
        ballot_id=ballot.pk, part_ids=[p.pk for p in parts], actor=staff
    )
    opened = services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert opened.status == Ballot.Status.OPEN
    assert opened.roll_heads == 4
    assert opened.roll_area == 9001 + 9003
    confirmed = ZeroAreaConfirmation.objects.filter(ballot=ballot)
    assert {c.part_id for c in confirmed} == {p.pk for p in parts}
    assert {c.confirmed_by for c in confirmed} == {staff}
    line = AuditEntry.objects.get(action="ballot_zero_area_confirm")
    assert line.detail["part_ids"] == sorted(p.pk for p in parts)
    assert line.actor == staff


def test_one_part_confirmed_the_other_still_blocks(unmeasured):
    ballot, staff, parts = unmeasured
    services.zero_area_confirm(ballot_id=ballot.pk, part_ids=[parts[0].pk], actor=staff)
    with pytest.raises(services.BallotError) as refused:
        services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert "1002室" in refused.value.message
    assert "1000室" not in refused.value.message


def test_entering_the_area_in_the_register_resolves_it(unmeasured):
    ballot, staff, parts = unmeasured
    for part in parts:
        part.area_survey = 8000
        register_record_save(actor=staff, record=part, fields=["area_survey"])
    opened = services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert opened.roll_area == 9001 + 9003 + 2 * 8000


def test_a_heads_only_ballot_is_not_blocked():
    compound, community, _people, staff = owners_compound(2, area=_no_area)
    ballot = owners_ballot(
        compound,
        community,
        staff,
        kind="single",
        options=["甲", "乙"],
        rule_id="",
        weighted_by_area=False,
    )
    assert services.ballot_open(ballot_id=ballot.pk, actor=staff).status == "open"


def test_confirming_refuses_what_it_cannot_confirm(unmeasured):
    ballot, staff, parts = unmeasured
    measured = ExclusivePart.objects.get(building=parts[0].building, number="1001")
    viewer = StaffAssignmentFactory(community=ballot.community, role="viewer").user
    cases = [
        ({"part_ids": [measured.pk], "actor": staff}, 422),
        ({"part_ids": [], "actor": staff}, 422),
        ({"part_ids": [10**12], "actor": staff}, 422),
        ({"part_ids": [parts[0].pk], "actor": viewer}, 403),
    ]
    for arguments, status in cases:
        with pytest.raises(services.BallotError) as refused:
            services.zero_area_confirm(ballot_id=ballot.pk, **arguments)
        assert refused.value.status == status
    assert not ZeroAreaConfirmation.objects.exists()
    assert not AuditEntry.objects.filter(action="ballot_zero_area_confirm").exists()


def test_confirming_after_opening_is_refused(unmeasured):
    ballot, staff, parts = unmeasured
    services.zero_area_confirm(ballot_id=ballot.pk, part_ids=[parts[0].pk], actor=staff)
    services.zero_area_confirm(ballot_id=ballot.pk, part_ids=[parts[1].pk], actor=staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    with pytest.raises(services.BallotError) as refused:
        services.zero_area_confirm(
            ballot_id=ballot.pk, part_ids=[parts[0].pk], actor=staff
        )
    assert refused.value.status == 409


def test_the_manage_page_lists_the_parts_and_confirms_them(client, unmeasured):
    ballot, staff, parts = unmeasured
    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/manage/").content.decode()
    assert "没有登记面积的专有部分" in page
    assert "1000室" in page
    assert "1002室" in page
    assert reverse("admin:neighbourhoods_exclusivepart_change", args=[parts[0].pk]) in (
        page
    )
    response = client.post(f"/ballots/{ballot.pk}/state/", {"action": "open"})
    assert response.status_code == 409
    assert "1000室" in response.content.decode()
    response = client.post(
        f"/ballots/{ballot.pk}/zero-area/", {"part": [p.pk for p in parts]}
    )
    assert response.status_code == 302
    page = client.get(f"/ballots/{ballot.pk}/manage/").content.decode()
    assert page.count("已确认按零计") == 2
    response = client.post(f"/ballots/{ballot.pk}/state/", {"action": "open"})
    assert response.status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).status == "open"


@pytest.mark.parametrize(
    ("form", "status"), [({"part": ["x"]}, 400), ({"part": ["999999"]}, 422), ({}, 422)]
)
def test_a_bad_confirmation_form_answers_its_status(client, unmeasured, form, status):
    ballot, staff, _parts = unmeasured
    client.force_login(staff)
    response = client.post(f"/ballots/{ballot.pk}/zero-area/", form)
    assert response.status_code == status
    assert not ZeroAreaConfirmation.objects.exists()


def test_a_viewer_cannot_confirm(client, unmeasured):
    ballot, _staff, parts = unmeasured
    viewer = StaffAssignmentFactory(community=ballot.community, role="viewer").user
    client.force_login(viewer)
    response = client.post(f"/ballots/{ballot.pk}/zero-area/", {"part": [parts[0].pk]})
    assert response.status_code == 403
    assert not ZeroAreaConfirmation.objects.exists()


# --- Probationary party members -------------------------------------------------


@pytest.fixture
def branch():
    """A party branch: a secretary, a member and a probationary member, each with a
    login: (body, staff, {role: person})."""
    body = BodyFactory(kind=Body.Kind.PARTY_BRANCH, name="第一党支部")
    people = {}
    for role in ("secretary", "party_member", "probationary_member"):
        seat = MembershipFactory(body=body, role=role)
        seat.person.user = UserFactory()
        seat.person.save()
        people[role] = seat.person
    staff = StaffAssignmentFactory(community=body.community).user
    return body, staff, people


def _party_ballot(body, staff):
    ballot = services.ballot_create(
        community=body.community,
        title="党员大会审议：社区公约草案",
        kind="motion",
        options=None,
        basis=RollBasis.PARTY_MEMBERS,
        scope=RollScope(ScopeKind.BODY, body.pk),
        rule_id="party-members-meeting",
        actor=staff,
    )
    return services.ballot_open(ballot_id=ballot.pk, actor=staff)


def test_probationary_members_are_not_in_the_party_roll(branch):
    body, staff, people = branch
    ballot = _party_ballot(body, staff)
    voters = set(
        RollEntry.objects.filter(ballot=ballot).values_list("voter", flat=True)
    )
    assert voters == {people["secretary"].pk, people["party_member"].pk}
    assert ballot.roll_heads == 2


def test_a_probationary_member_is_told_why_and_refused(client, branch):
    body, staff, people = branch
    ballot = _party_ballot(body, staff)
    client.force_login(people["probationary_member"].user)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "预备党员没有表决权" in page
    assert 'name="option"' not in page
    yes = ballot.options.get(role="yes").pk
    response = client.post(
        f"/ballots/{ballot.pk}/vote/",
        {"option": yes, "idempotency_key": "k" * 32},
    )
    assert response.status_code == 403
    assert not ballot.participations.exists()
    client.force_login(people["party_member"].user)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert 'name="option"' in page


def test_the_register_shows_the_probationary_role(client, branch):
    _body, staff, people = branch
    client.force_login(staff)
    url = reverse("neighbourhoods:person", args=[people["probationary_member"].pk])
    page = client.get(url).content.decode()
    assert "预备党员" in page
    assert Membership.Role.PROBATIONARY_MEMBER.label == "预备党员"


# --- Household representatives under 18 ------------------------------------------


def test_a_representative_under_18_is_a_roll_problem_never_a_voter(monkeypatch, client):
    # 00:30 on 1 June 2026 in Shanghai is still 31 May in UTC: the roll's date is
    # 1 June, so the representative born 1 June 2008 is 18 and votes, the one born
    # 2 June 2008 is not.
    moment = dt.datetime(2026, 6, 1, 0, 30, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    adult = PersonFactory(birth_date=dt.date(2008, 6, 1), user=UserFactory())
    community = adult.home_community
    minor = PersonFactory(
        birth_date=dt.date(2008, 6, 2), home_community=community, user=UserFactory()
    )
    for person in (adult, minor):
        ResidencyFactory(person=person, is_representative=True)
    staff = StaffAssignmentFactory(community=community).user
    ballot = services.ballot_create(
        community=community,
        title="户代表会议表决",
        kind="motion",
        options=None,
        basis=RollBasis.HOUSEHOLD_REPRESENTATIVES,
        scope=RollScope(ScopeKind.COMMUNITY, community.pk),
        actor=staff,
    )
    ballot = services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert ballot.roll_as_of == dt.date(2026, 6, 1)
    assert ballot.roll_heads == 2  # both households stay in the denominator
    voters = set(
        RollEntry.objects.filter(ballot=ballot).values_list("voter", flat=True)
    )
    assert voters == {adult.pk, None}
    assert {"code": "representative_under_18", "subject": f"person:{minor.pk}"} in [
        {"code": p["code"], "subject": p["subject"]} for p in ballot.roll_problems
    ]
    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/manage/").content.decode()
    assert "户代表未满十八周岁" in page
    client.force_login(minor.user)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "户代表须年满十八周岁" in page
