"""A record form refused for what was sent shows the same page again with the
message and the input as typed (a chosen file cannot be kept: the page says so);
nothing is written. A refusal of the person (403) or of the moment (409) keeps the
refusal page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.records.models import Attachment, Meeting, ResidentProposal

from .conftest import linked_user, open_matter

pytestmark = pytest.mark.django_db

LONG_TEXT = "会议审议了加装电梯的方案，" * 40 + "全文保留"


@pytest.fixture
def matter(place):
    return open_matter(place)


def _meeting_data(place, **changes) -> dict:
    data = {
        "held_at": "2026-01-05T09:00",
        "place": "社区二楼会议室",
        "text": LONG_TEXT,
        "vote_method": "show_of_hands",
        "present": place.committee_ids[:4],
        "yes": 4,
        "no": 0,
        "abstain": 0,
        "dissent": "一位委员担心噪音",
    }
    return data | changes


def test_a_meeting_refused_by_the_service_keeps_what_was_typed(client, place, matter):
    client.force_login(place.staff)
    url = reverse("records:meeting_new", args=[matter.pk])
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, _meeting_data(place, held_at=future))
    assert response.status_code == 422
    html = response.content.decode()
    assert "会议时间不能晚于现在" in html
    assert LONG_TEXT in html  # the record's text, back in its box
    assert 'value="社区二楼会议室"' in html
    assert "一位委员担心噪音" in html
    assert html.count("checked") >= 4  # the members ticked present
    assert not Meeting.objects.exists()


def test_a_meeting_form_with_a_wrong_field_names_it_and_keeps_the_rest(
    client, place, matter
):
    client.force_login(place.staff)
    url = reverse("records:meeting_new", args=[matter.pk])
    response = client.post(url, _meeting_data(place, yes="四"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "不完整或格式不正确" in html
    assert LONG_TEXT in html
    assert "errorlist" in html  # Django's own message beside the field
    assert not Meeting.objects.exists()


def test_a_refused_upload_keeps_its_title_and_asks_for_the_file_again(
    client, place, matter
):
    client.force_login(place.staff)
    fake = io.BytesIO(b"<html>not an image</html>")
    fake.name = "scan.png"
    response = client.post(
        reverse("records:matter_attach", args=[matter.pk]),
        {"title": "施工方案第二稿", "file": fake},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="form-attach"' in html
    assert 'value="施工方案第二稿"' in html
    assert "所选文件需要重新选择" in html
    assert 'href="#form-attach"' in html
    assert not Attachment.objects.exists()


def test_a_supervision_opinion_with_a_wrong_number_keeps_the_opinion(
    client, place, matter
):
    client.force_login(place.staff)
    response = client.post(
        reverse("records:matter_supervise", args=[matter.pk]),
        {"text": LONG_TEXT, "supervisor": "张三"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f"{LONG_TEXT}</textarea>" in html
    assert "监督委员会成员编号：" in html  # the field named in the message
    assert "supervisor" not in html.split("<main", 1)[-1].split("<form", 1)[0]
    assert not matter.steps.exists()


def test_a_step_sent_out_of_turn_keeps_the_refusal_page(client, place, matter):
    client.force_login(place.staff)
    url = reverse("records:matter_step", args=[matter.pk])
    response = client.post(url, {"step": "implementation", "text": LONG_TEXT})
    assert response.status_code == 409
    html = response.content.decode()
    assert "步骤顺序不对" in html
    assert LONG_TEXT not in html  # not put into the box of the step that is due


def test_a_proposal_refused_by_the_service_keeps_title_and_text(client, place):
    client.force_login(linked_user(place.residents[1]))
    url = reverse("records:proposal_new", args=[place.community.slug])
    response = client.post(
        url,
        {
            "title": "增设非机动车充电棚",
            "description": LONG_TEXT,
            "addressed_to": ResidentProposal.AddressedTo.OWNERS_EXTRAORDINARY,
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "请选择本社区的小区" in html
    assert 'value="增设非机动车充电棚"' in html
    assert LONG_TEXT in html
    assert not ResidentProposal.objects.exists()


def test_a_resident_posting_a_broken_step_form_is_refused_as_a_resident(
    client, place, matter
):
    client.force_login(linked_user(place.residents[0]))
    response = client.post(reverse("records:matter_step", args=[matter.pk]), {})
    assert response.status_code == 403
