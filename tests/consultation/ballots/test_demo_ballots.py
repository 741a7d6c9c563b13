"""The ballots' demo (consultation/ballots/demo.py): every state of a ballot at once,
the `owner` and `resident` logins can vote straight away, a second run writes
nothing, and the printed address follows `make run`'s HOST and PORT."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from consultation.ballots.demo import BALLOTS, minimal_pdf
from consultation.ballots.models import Ballot, Participation, RollEntry
from neighbourhoods.models import Membership, Person
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from neighbourhoods.rolls.selectors import roll_snapshot
from tests.neighbourhoods.demo.helpers import row_counts, seed

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
TITLES = [spec.title for spec in BALLOTS]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded once for this module, rolled back when it is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def _ballot(index: int) -> Ballot:
    return Ballot.objects.get(title=TITLES[index])


def test_every_state_is_there(seeded):
    lift, meeting, election, published, consultative, rating = map(_ballot, range(6))
    assert lift.status == meeting.status == rating.status == Ballot.Status.OPEN
    assert lift.rule_id == "owners-major"
    assert lift.weighted_by_area
    assert "加装电梯" in lift.title
    assert lift.compound.name == "阳光花园"
    assert meeting.rule_id == "residents-meeting"
    assert election.kind == "election"
    assert election.is_secret
    assert election.status == Ballot.Status.CLOSED
    assert election.secret_papers.count() == election.participations.count() > 0
    assert published.status == Ballot.Status.PUBLISHED
    assert published.published_tally.passed is True
    assert not published.published_tally.official
    assert consultative.consultative
    assert consultative.status == Ballot.Status.PUBLISHED
    official = consultative.published_tally
    assert official.official
    assert official.result["roll"]["heads"] == consultative.roll_heads > 0
    with official.source_document.open("rb") as document:
        assert document.read().startswith(b"%PDF-1.4")
    assert rating.kind == "rating"
    for ballot in (lift, meeting, election, published, consultative, rating):
        assert ballot.participations.exists(), ballot.title


def test_owner_and_resident_can_vote_straight_away(seeded, client):
    lift, meeting, rating = _ballot(0), _ballot(1), _ballot(5)
    owner = Person.objects.get(user__username="owner")
    resident = Person.objects.get(user__username="resident")
    for ballot, person in ((lift, owner), (meeting, resident), (rating, resident)):
        entry = RollEntry.objects.get(ballot=ballot, voter=person)
        assert not Participation.objects.filter(entry=entry).exists()
    client.force_login(owner.user)
    page = client.get(f"/ballots/{lift.pk}/").content.decode()
    assert "目前" in page
    assert "participating_area" not in page
    yes = lift.options.get(role="yes").pk
    response = client.post(
        f"/ballots/{lift.pk}/vote/", {"option": [yes], "idempotency_key": "demo-1"}
    )
    assert response.status_code == 201


def test_every_demo_ballot_page_opens(seeded, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="staff_yangguang"))
    for ballot in Ballot.objects.filter(title__in=TITLES):
        assert client.get(f"/ballots/{ballot.pk}/").status_code == 200


def test_every_demo_ballot_was_noticed_in_time(seeded, client):
    """Each notice (公告) was published at least 15 days before its ballot opened
    (物业管理条例 Art. 14), and the lift ballot's page shows it to `owner`."""
    for ballot in Ballot.objects.filter(title__in=TITLES):
        opened_on = timezone.localdate(ballot.opened_at)
        assert (opened_on - ballot.notice.published_on).days >= 15, ballot.title
        assert "notice_board" in ballot.notice.channels
    client.force_login(Person.objects.get(user__username="owner").user)
    page = client.get(f"/ballots/{_ballot(0).pk}/").content.decode()
    assert "公告栏、小区微信群、网站" in page
    assert 'name="option"' in page


def test_the_demo_register_has_probationary_members_without_a_vote(seeded):
    seats = Membership.objects.filter(role=Membership.Role.PROBATIONARY_MEMBER)
    assert seats.exists()
    party_roll = roll_snapshot(
        scope=RollScope(ScopeKind.BODY, seats[0].body_id),
        basis=RollBasis.PARTY_MEMBERS,
        as_of=timezone.localdate(),
    )
    probationary = {seat.person_id for seat in seats}
    assert party_roll.head_count > 0
    assert not probationary & {m.voter_person_id for m in party_roll.members}


def test_a_second_run_writes_nothing(seeded):
    counts = row_counts()
    output = seed()
    assert row_counts() == counts
    assert "投票已是最新" in output
    for title in TITLES:
        assert title in output


def test_the_printed_address_follows_the_port(seeded):
    out = io.StringIO()
    call_command("seed_demo", address="0.0.0.0:8123", stdout=out, stderr=io.StringIO())
    output = out.getvalue()
    assert output.splitlines()[-1] == "打开网站 Open: http://127.0.0.1:8123/"
    assert "http://127.0.0.1:8123/admin/" in output
    assert re.search(r"http://127\.0\.0\.1:8123/ballots/\d+/", output)
    assert ":8000" not in output


def test_make_run_passes_host_and_port_to_the_demo():
    run = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=127.0.0.2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "seed_demo --address 127.0.0.2:8123" in run.stdout
    assert "runserver 127.0.0.2:8123" in run.stdout


def test_the_official_document_is_a_valid_pdf():
    pdf = minimal_pdf("x")
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:].startswith(b"xref\n")
    assert pdf.rstrip().endswith(b"%%EOF")
