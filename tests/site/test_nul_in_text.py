"""A NUL character (which PostgreSQL keeps in no text) typed into any capability's
text field is refused with a message, never a 500; the liaison archive's search
drops it. Found by a review of 2026-12-06 (every case below was a 500)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from consultation.disclosures.models import Objection
from consultation.liaison.models import LiaisonRequest
from residents_pact.models import PactComment, PactVersion
from tests.consultation.disclosures.factories import board_setup, publish_entry
from tests.consultation.liaison.factories import liaison_setup
from tests.neighbourhoods.duties.conftest import publish_lists, world  # noqa: F401
from tests.residents_pact.factories import pact_create, place_setup

pytestmark = pytest.mark.django_db
NUL = "a\x00b"


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _refused(response) -> None:
    assert 400 <= response.status_code < 500, response.status_code


def test_the_liaison_archive_search_drops_a_nul():
    cache.clear()
    response = _client().get(reverse("liaison:archive"), {"q": NUL})
    assert response.status_code == 200


def test_a_liaison_request_titled_with_a_nul_is_refused():
    cache.clear()
    liaison = liaison_setup()
    data = {
        "target": "representative",
        "representative": liaison.representative.pk,
        "category": "environment",
        "title": NUL,
        "text": "2 号楼垃圾桶三天没有清运。",
    }
    response = _client(liaison.resident).post(reverse("liaison:new"), data)
    _refused(response)
    assert "无法保存" in response.content.decode()
    assert not LiaisonRequest.objects.exists()


def test_a_certificate_asked_with_a_nul_is_refused(world):  # noqa: F811
    publish_lists(world)
    url = reverse("duties:ask", args=[world.communities[0].slug])
    _refused(_client(world.resident).post(url, {"requested": NUL}))


def test_a_disclosure_and_an_objection_with_a_nul_are_refused():
    board = board_setup()
    url = reverse("disclosures:draft_new", args=[board.community.slug])
    data = {"kind": "major", "title": NUL, "text": "正文"}
    _refused(_client(board.staff).post(url, data))
    entry = publish_entry(board)
    url = reverse("disclosures:object", args=[entry.pk])
    _refused(_client(board.resident).post(url, {"text": NUL}))
    assert not Objection.objects.exists()


def test_a_pact_comment_and_a_return_note_with_a_nul_are_refused(home_page):
    from residents_pact import services

    place = place_setup()
    page = pact_create(place)
    version = PactVersion.objects.get(page=page, number=1)
    services.comment_period_open(version_id=version.pk, actor=place.staff, days=10)
    version.refresh_from_db()
    url = reverse("pacts:comment", args=[version.pk])
    data = {"article": version.articles[0]["key"], "text": NUL}
    _refused(_client(place.residents[0]).post(url, data))
    assert not PactComment.objects.exists()
    services.comment_period_end(
        version_id=version.pk,
        actor=place.staff,
        today=version.comment_last_day + dt.timedelta(days=1),
    )
    url = reverse("pacts:manage", args=[page.pk])
    data = {"action": "return", "version": version.pk, "note": NUL}
    _refused(_client(place.staff).post(url, data))
