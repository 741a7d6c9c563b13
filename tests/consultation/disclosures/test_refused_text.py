"""A text refused on an entry's page for what it says (a resident's objection, the
committee's reply, a review opinion) comes back in its own box with the message;
nothing is written. A refusal of the person keeps the refusal page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.consultation.disclosures.factories import board_setup, publish_entry

pytestmark = pytest.mark.django_db

WITH_NUMBER = "上月保洁费支出不清，请联系我 13912345678 说明。" * 3


def test_an_objection_with_a_mobile_number_comes_back_in_its_box(client):
    board = board_setup()
    entry = publish_entry(board)
    client.force_login(board.resident)
    response = client.post(
        reverse("disclosures:object", args=[entry.pk]), {"text": WITH_NUMBER}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "不得含有身份证号或手机号" in html
    assert f">\n{WITH_NUMBER}</textarea>" in html
    assert 'href="#objection-text"' in html
    assert not entry.objections.exists()


def test_a_reply_with_a_mobile_number_comes_back_in_its_own_box(client):
    board = board_setup()
    entry = publish_entry(board)
    client.force_login(board.resident)
    client.post(reverse("disclosures:object", args=[entry.pk]), {"text": "支出不清"})
    objection = entry.objections.get()
    refused = client.post(
        reverse("disclosures:reply", args=[objection.pk]), {"text": WITH_NUMBER}
    )
    assert refused.status_code == 403  # a resident may not reply
    assert WITH_NUMBER not in refused.content.decode()
    client.force_login(board.staff)
    response = client.post(
        reverse("disclosures:reply", args=[objection.pk]), {"text": WITH_NUMBER}
    )
    assert response.status_code == 422
    html = response.content.decode()
    box = f'id="reply-{objection.pk}" name="text"'
    assert box in html
    assert f">\n{WITH_NUMBER}</textarea>" in html.split(box, 1)[1]
    objection.refresh_from_db()
    assert objection.reply == ""
