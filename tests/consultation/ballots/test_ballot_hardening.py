"""Cases a review found: rule inputs, official totals, bounds, receipts, proxies."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.ballots import services
from consultation.ballots.models import Ballot
from neighbourhoods.models import Body
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from tests.consultation.factories import (
    noticed,
    option_ids,
    owners_ballot,
    owners_compound,
)
from tests.neighbourhoods.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_owners_committee_rule_reads_its_own_inputs():
    membership = MembershipFactory(body__kind=Body.Kind.OWNERS_COMMITTEE)
    body = membership.body
    others = [MembershipFactory(body=body) for _ in range(2)]
    staff = owners_compound(1)[3]
    from neighbourhoods.models import StaffAssignment

    StaffAssignment.objects.create(user=staff, community=body.community, role="editor")
    ballot = services.ballot_create(
        community=body.community,
        title="业委会会议表决",
        kind="motion",
        options=None,
        basis=RollBasis.BODY_MEMBERS,
        scope=RollScope(ScopeKind.BODY, body.pk),
        rule_id="owners-committee",
        actor=staff,
    )
    noticed(ballot)  # the agenda posted 7 days before (指导规则)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    for m in (membership, *others[:1]):
        services.vote_cast(ballot_id=ballot.pk, voter=m.person, selection=[ids["yes"]])
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    published = services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    decision = published.result["decision"]
    assert "error" not in decision
    assert decision["values"] == {"members": 3, "present": 2, "yes": 2}
    assert published.passed is True


def test_an_owners_rule_needs_the_owners_roll():
    compound, community, _, staff = owners_compound(2)
    with pytest.raises(services.BallotError) as refused:
        owners_ballot(compound, community, staff, basis=RollBasis.RESIDENTS_ADULT)
    assert refused.value.status == 422
    with pytest.raises(services.BallotError):
        owners_ballot(compound, community, staff, kind="single", options=["甲", "乙"])
    with pytest.raises(services.BallotError):  # more required than there are options
        owners_ballot(
            compound,
            community,
            staff,
            kind="multiple",
            options=["甲", "乙"],
            min_choices=3,
            max_choices=3,
            rule_id="",
        )


def test_official_result_keeps_the_roll_snapshot():
    compound, community, _, staff = owners_compound(4)
    ballot = owners_ballot(compound, community, staff, consultative=True)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ballot.refresh_from_db()
    before = (ballot.roll_heads, ballot.roll_area)
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    ids = option_ids(ballot)
    published = services.official_result_record(
        ballot_id=ballot.pk,
        option_counts={ids["yes"]: (400, 9_000_000)},
        roll_heads=500,
        roll_area=10_000_000,
        source_document=SimpleUploadedFile("r.pdf", b"%PDF-1.4"),
        actor=staff,
    )
    ballot.refresh_from_db()
    assert (ballot.roll_heads, ballot.roll_area) == before
    assert published.result["roll"]["heads"] == 500


def test_malformed_input_is_4xx_never_500(client, open_ballot):
    ballot, people, staff = open_ballot
    client.force_login(people[0].user)
    deep = "[" * 100_000 + "]" * 100_000
    url = f"/ballots/{ballot.pk}/vote/"
    assert client.post(url, deep, content_type="application/json").status_code == 400
    client.force_login(staff)
    paper = client.post(
        f"/ballots/{ballot.pk}/paper/",
        {"entry": "9" * 40, "option": "1", "sheet_number": "x", "witness": "y"},
    )
    assert paper.status_code == 403  # no such entry on this ballot's roll
    new = client.post(
        f"/ballots/new/{ballot.community.slug}/",
        {
            "title": "t",
            "kind": "multiple",
            "options": "a\nb",
            "basis": "owners",
            "scope": f"compound:{ballot.compound_id}",
            "secrecy": "named",
            "results_visibility": "after_close",
            "min_choices": "1",
            "max_choices": "40000",
            "seats": "1",
        },
    )
    assert new.status_code == 422


def test_ranked_ballot_refuses_tied_ranks(client):
    compound, community, people, staff = owners_compound(2)
    ballot = owners_ballot(
        compound,
        community,
        staff,
        kind="ranked",
        options=["甲", "乙", "丙"],
        rule_id="",
        max_choices=3,
    )
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    ids = list(option_ids(ballot).values())
    client.force_login(people[0].user)
    tied = client.post(
        f"/ballots/{ballot.pk}/vote/", {f"rank_{ids[0]}": "1", f"rank_{ids[1]}": "1"}
    )
    assert tied.status_code == 422
    ok = client.post(
        f"/ballots/{ballot.pk}/vote/", {f"rank_{ids[0]}": "2", f"rank_{ids[1]}": "1"}
    )
    assert ok.status_code == 201


def test_receipt_page_only_for_secret_ballots_its_viewers_may_see(client, open_ballot):
    ballot, people, _ = open_ballot
    assert client.get(f"/ballots/{ballot.pk}/receipt/").status_code in (302, 403)
    client.force_login(people[0].user)
    assert client.get(f"/ballots/{ballot.pk}/receipt/").status_code == 403


def test_proxy_holder_from_another_community_is_refused(open_ballot):
    ballot, _, staff = open_ballot
    stranger = PersonFactory()
    entry = ballot.roll.first()
    with pytest.raises(services.ProxyRefused) as refused:
        services.proxy_register(
            ballot_id=ballot.pk,
            principal_entry_id=entry.pk,
            holder=stranger,
            authorisation=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
            actor=staff,
        )
    assert refused.value.status == 422
    assert Ballot.objects.get(pk=ballot.pk).proxies.count() == 0
