"""The visitors' kept copy of a ballot page (yishi/visitor_cache.py with the ballot's
own version, consultation/ballots/page_version.py): served to visitors, stale at once
when anything they see on it changes, never kept while the ballot is open, never
served to a signed-in resident (their page says in what capacity they vote)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from consultation.ballots import permissions, services
from consultation.ballots.page_version import page_version
from tests.consultation.factories import option_ids, owners_ballot, owners_compound

pytestmark = pytest.mark.django_db

HIT = "X-Yishi-Cache"
CAPACITY = "您以什么身份投票"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _closed(**kwargs):
    """An owners' ballot over three owners, one of whom voted yes, closed."""
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff, **kwargs)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    services.vote_cast(
        ballot_id=ballot.pk,
        voter=people[1],
        selection={"options": [option_ids(ballot)["yes"]]},
        idempotency_key=uuid.uuid4().hex,
    )
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    return ballot, people, staff


def _official(ballot, staff, *, heads: int, roll_heads: int) -> None:
    """The official result of a closed consultative ballot: `heads` voted yes."""
    services.official_result_record(
        ballot_id=ballot.pk,
        option_counts={option_ids(ballot)["yes"]: (heads, heads * 9000)},
        roll_heads=roll_heads,
        roll_area=roll_heads * 20000,
        source_document=SimpleUploadedFile("r.pdf", b"%PDF-1.4"),
        actor=staff,
    )


def _url(ballot) -> str:
    return f"/ballots/{ballot.pk}/"


def test_a_visitor_is_answered_from_the_kept_copy(django_assert_max_num_queries):
    ballot, _people, staff = _closed()
    services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    first = Client().get(_url(ballot))
    assert first.status_code == 200
    assert HIT not in first
    with django_assert_max_num_queries(0):
        second = Client().get(_url(ballot))
    assert second[HIT] == "hit"
    assert second.content == first.content
    assert "计票结果" in second.content.decode()


def test_publication_shows_at_once():
    ballot, _people, staff = _closed()
    closed = Client().get(_url(ballot))
    assert closed.status_code == 403  # a closed ballot is not yet for visitors
    services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    published = Client().get(_url(ballot))
    assert published.status_code == 200
    assert HIT not in published
    assert "计票结果" in published.content.decode()


def test_an_official_result_shows_at_once():
    ballot, _people, staff = _closed(consultative=True)
    assert Client().get(_url(ballot)).status_code == 403
    _official(ballot, staff, heads=401, roll_heads=500)
    page = Client().get(_url(ballot))
    assert page.status_code == 200
    assert HIT not in page
    assert "参加表决 401 人，名册共 500 人" in page.content.decode()


def test_every_change_a_visitor_could_see_moves_the_version():
    """The services that change the page outside the votes forget its version; a
    vote does not (an open ballot's page is never kept)."""
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff, consultative=True)
    seen = [page_version(ballot.pk)]

    def moved() -> None:
        now = page_version(ballot.pk)
        assert now not in seen
        seen.append(now)

    services.notice_record(
        ballot_id=ballot.pk,
        channels=["website"],
        actor=staff,
        published_on=timezone.localdate() - dt.timedelta(days=40),
    )
    moved()
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    moved()
    services.vote_cast(
        ballot_id=ballot.pk,
        voter=people[0],
        selection={"options": [option_ids(ballot)["yes"]]},
        idempotency_key=uuid.uuid4().hex,
    )
    assert page_version(ballot.pk) == seen[-1]
    services.ballot_close(ballot_id=ballot.pk, actor=staff)
    moved()
    _official(ballot, staff, heads=1, roll_heads=3)
    moved()
    other = owners_ballot(compound, community, staff)
    before = page_version(other.pk)
    services.ballot_open(ballot_id=other.pk, actor=staff)
    services.ballot_close(ballot_id=other.pk, actor=staff)
    after_close = page_version(other.pk)
    assert after_close != before
    services.ballot_publish(ballot_id=other.pk, actor=staff)
    assert page_version(other.pk) != after_close


def test_an_open_ballot_is_never_kept(monkeypatch):
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff, results_visibility="live")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    resident = Client()
    resident.force_login(people[0].user)
    page = resident.get(_url(ballot))
    assert page.status_code == 200
    assert "private" in page["Cache-Control"]
    assert Client().get(_url(ballot)).status_code == 403  # nor seen by visitors
    # Were visitors ever allowed to see it, its live turnout would still not be kept.
    monkeypatch.setattr(permissions, "can_view_ballot", lambda user, ballot: True)
    first, second = Client().get(_url(ballot)), Client().get(_url(ballot))
    assert first.status_code == second.status_code == 200
    assert HIT not in second
    assert "private" in second["Cache-Control"]


def test_a_signed_in_resident_is_never_served_the_visitors_copy():
    ballot, people, staff = _closed()
    services.ballot_publish(ballot_id=ballot.pk, actor=staff)
    kept = Client().get(_url(ballot))
    assert CAPACITY not in kept.content.decode()
    assert Client().get(_url(ballot))[HIT] == "hit"
    resident = Client()
    resident.force_login(people[0].user)
    page = resident.get(_url(ballot))
    assert page.status_code == 200
    assert HIT not in page
    assert CAPACITY in page.content.decode()  # on the roll: their own units
