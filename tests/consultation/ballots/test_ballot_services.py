"""Ballot lifecycle and every refusal, through the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.ballots import services
from consultation.ballots.models import Ballot, Participation, SecretPaper, VoteConflict
from consultation.ballots.selectors import ballot_tally, tally_as_dict
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    compound, community, people, staff = owners_compound(5)
    ballot = owners_ballot(compound, community, staff)
    ballot = services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people, staff


def test_open_takes_the_roll_snapshot(setup):
    ballot, _people, _ = setup
    assert ballot.status == Ballot.Status.OPEN
    assert ballot.roll_heads == 5
    assert ballot.roll_area == sum(9000 + i for i in range(5))
    assert ballot.roll.count() == 5


def test_vote_close_publish_with_exact_decision(setup):
    ballot, people, staff = setup
    ids = option_ids(ballot)
    for person, choice in zip(
        people, ["yes", "yes", "yes", "no", "abstain"], strict=True
    ):
        services.vote_cast(
            ballot_id=ballot.pk, voter=person, selection={"options": [ids[choice]]}
        )
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    published = services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    result = published.result
    assert result["participation"]["heads"] == 5
    assert published.quorum_met is True
    assert published.passed is True  # 3/5 > 1/2 of heads; area 27003/45010 > 1/2
    conditions = {c["key"]: c for c in result["decision"]["conditions"]}
    assert any(c["actual"] == "3/5" for c in conditions.values())
    assert len(published.sha256) == 64
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PUBLISHED


def test_second_vote_is_refused_and_shown_as_conflict(setup):
    ballot, people, staff = setup
    ids = option_ids(ballot)
    services.vote_cast(ballot_id=ballot.pk, voter=people[0], selection=[ids["yes"]])
    with pytest.raises(services.AlreadyVoted) as refused:
        services.vote_cast(ballot_id=ballot.pk, voter=people[0], selection=[ids["no"]])
    assert refused.value.status == 409
    entry = ballot.roll.get(voter=people[0])
    with pytest.raises(services.AlreadyVoted):
        services.paper_vote_enter(
            ballot_id=ballot.pk,
            entry_id=entry.pk,
            selection=[ids["no"]],
            sheet_number="P-001",
            witness="王监票",
            actor=staff,
        )
    assert Participation.objects.get(ballot=ballot, entry=entry).selection == {
        "options": [ids["yes"]]
    }
    conflict = VoteConflict.objects.filter(ballot=ballot).order_by("pk").last()
    assert (conflict.first_channel, conflict.channel) == ("online", "paper")


@pytest.mark.parametrize(
    ("selection", "status", "code"),
    [
        ({"options": []}, 422, "empty"),
        ({"options": ["yes", "no"]}, 422, "too_many"),
        ({"options": [999999]}, 400, "unknown_option"),
        ("garbage", 400, None),
    ],
)
def test_bad_choices_are_refused_and_nothing_written(setup, selection, status, code):
    ballot, people, _ = setup
    ids = option_ids(ballot)
    if isinstance(selection, dict):
        selection = {
            "options": [
                ids.get(v, v) if isinstance(v, str) else v for v in selection["options"]
            ]
        }
    with pytest.raises(services.InvalidSelection) as refused:
        services.vote_cast(ballot_id=ballot.pk, voter=people[0], selection=selection)
    assert refused.value.status == status
    if code:
        assert refused.value.code == code
    assert not Participation.objects.filter(ballot=ballot).exists()


def test_choice_from_another_ballot_is_a_400(setup):
    ballot, people, staff = setup
    other = owners_ballot(ballot.compound, ballot.community, staff)
    with pytest.raises(services.InvalidSelection) as refused:
        services.vote_cast(
            ballot_id=ballot.pk,
            voter=people[0],
            selection=[option_ids(other)["yes"]],
        )
    assert refused.value.status == 400


def test_voter_not_on_roll_and_ballot_not_open(setup):
    ballot, people, staff = setup
    stranger = PersonFactory()
    with pytest.raises(services.NotOnRoll) as refused:
        services.vote_cast(ballot_id=ballot.pk, voter=stranger, selection=[1])
    assert refused.value.status == 403
    draft = owners_ballot(ballot.compound, ballot.community, staff)
    with pytest.raises(services.BallotStateError) as refused:
        services.vote_cast(ballot_id=draft.pk, voter=people[0], selection=[1])
    assert refused.value.status == 409


def test_idempotency_key_replays_and_refuses_a_different_body(setup):
    ballot, people, _ = setup
    ids = option_ids(ballot)
    first = services.vote_cast(
        ballot_id=ballot.pk,
        voter=people[0],
        selection=[ids["yes"]],
        idempotency_key="k1",
    )
    again = services.vote_cast(
        ballot_id=ballot.pk,
        voter=people[0],
        selection=[ids["yes"]],
        idempotency_key="k1",
    )
    assert again.replayed
    assert again.participation_id == first.participation_id
    with pytest.raises(services.IdempotencyMismatch) as refused:
        services.vote_cast(
            ballot_id=ballot.pk,
            voter=people[0],
            selection=[ids["no"]],
            idempotency_key="k1",
        )
    assert refused.value.status == 422
    assert Participation.objects.filter(ballot=ballot).count() == 1


def test_no_vote_after_close(setup):
    ballot, people, staff = setup
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    with pytest.raises(services.BallotStateError):
        services.vote_cast(ballot_id=ballot.pk, voter=people[0], selection=[1])


def test_paper_ballot_needs_sheet_and_witness(setup):
    ballot, _people, staff = setup
    entry = ballot.roll.first()
    ids = option_ids(ballot)
    with pytest.raises(services.BallotError) as refused:
        services.paper_vote_enter(
            ballot_id=ballot.pk,
            entry_id=entry.pk,
            selection=[ids["yes"]],
            sheet_number="",
            witness="",
            actor=staff,
        )
    assert refused.value.status == 422
    services.paper_vote_enter(
        ballot_id=ballot.pk,
        entry_id=entry.pk,
        selection=[ids["yes"]],
        sheet_number="P-7",
        witness="李监票",
        actor=staff,
    )
    tally = tally_as_dict(ballot, ballot_tally(ballot))
    assert tally["by_channel"][0]["channel"] == "paper"


def _scan():
    return SimpleUploadedFile(
        "auth.pdf", b"%PDF-1.4 scan", content_type="application/pdf"
    )


def test_proxy_vote_with_authority_and_cap(setup):
    ballot, people, staff = setup
    ids = option_ids(ballot)
    holder = people[0]
    entries = {e.voter_id: e for e in ballot.roll.all()}
    with pytest.raises(services.ProxyRefused) as refused:
        services.proxy_vote_cast(
            ballot_id=ballot.pk,
            holder=holder,
            principal_entry_id=entries[people[1].pk].pk,
            selection=[ids["yes"]],
        )
    assert refused.value.status == 403
    Ballot.objects.filter(pk=ballot.pk).update(proxy_cap=2)
    for person in people[1:3]:
        services.proxy_register(
            ballot_id=ballot.pk,
            principal_entry_id=entries[person.pk].pk,
            holder=holder,
            authorisation=_scan(),
            actor=staff,
        )
    with pytest.raises(services.ProxyRefused):
        services.proxy_register(
            ballot_id=ballot.pk,
            principal_entry_id=entries[people[3].pk].pk,
            holder=holder,
            authorisation=_scan(),
            actor=staff,
        )
    result = services.proxy_vote_cast(
        ballot_id=ballot.pk,
        holder=holder,
        principal_entry_id=entries[people[1].pk].pk,
        selection=[ids["yes"]],
    )
    vote = Participation.objects.get(pk=result.participation_id)
    assert (vote.channel, vote.cast_by, vote.entry.voter) == (
        "proxy",
        holder,
        people[1],
    )


def test_secret_ballot_gives_a_receipt_that_checks(setup):
    ballot, people, staff = setup
    secret = owners_ballot(
        ballot.compound, ballot.community, staff, secrecy=Ballot.Secrecy.SECRET
    )
    services.ballot_open(ballot_id=secret.pk, actor=staff)
    ids = option_ids(secret)
    result = services.vote_cast(
        ballot_id=secret.pk, voter=people[0], selection=[ids["no"]]
    )
    from consultation.ballots.selectors import receipt_counted

    assert result.receipt
    assert receipt_counted(secret, result.receipt)
    assert not receipt_counted(secret, "AAAA-BBBB-CCCC")
    participation = Participation.objects.get(ballot=secret)
    assert participation.selection is None
    assert SecretPaper.objects.get(ballot=secret).selection == {"options": [ids["no"]]}


def test_staff_enter_a_proxy_holders_paper_ballot(setup):
    ballot, people, staff = setup
    ids = option_ids(ballot)
    entries = {e.voter_id: e for e in ballot.roll.all()}
    principal = entries[people[4].pk]
    with pytest.raises(services.ProxyRefused):
        services.paper_vote_enter(
            ballot_id=ballot.pk,
            entry_id=principal.pk,
            selection=[ids["yes"]],
            sheet_number="W-1",
            witness="赵监票",
            actor=staff,
            channel="proxy",
        )
    services.proxy_register(
        ballot_id=ballot.pk,
        principal_entry_id=principal.pk,
        holder=people[0],
        authorisation=_scan(),
        actor=staff,
    )
    result = services.paper_vote_enter(
        ballot_id=ballot.pk,
        entry_id=principal.pk,
        selection=[ids["yes"]],
        sheet_number="W-1",
        witness="赵监票",
        actor=staff,
        channel="proxy",
    )
    vote = Participation.objects.get(pk=result.participation_id)
    assert (vote.channel, vote.cast_by, vote.entered_by) == ("proxy", people[0], staff)
