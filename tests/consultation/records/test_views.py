"""Record pages: permission on the object, refusals with their status, nothing
written; the phone-readable matter page; the register pages list matters."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from consultation.records import services
from consultation.records.models import Attachment, Meeting
from tests.neighbourhoods.factories import StaffAssignmentFactory

from .conftest import linked_user, open_matter


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png")


@pytest.fixture
def matter(place):
    return open_matter(place)


def test_matter_page_is_public_and_lists_the_steps(client, place, matter):
    response = client.get(reverse("records:matter", args=[matter.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert matter.title in text
    assert "党组织提议" in text
    assert "记录下一步" not in text  # not staff


def test_staff_of_another_community_may_not_record(client, place, matter):
    client.force_login(StaffAssignmentFactory().user)
    url = reverse("records:matter_step", args=[matter.pk])
    response = client.post(url, {"step": "implementation", "text": "x"})
    assert response.status_code == 403
    response = client.get(reverse("records:meeting_new", args=[matter.pk]))
    assert response.status_code == 403


def test_out_of_order_step_answers_409_and_writes_nothing(client, place, matter):
    client.force_login(place.staff)
    url = reverse("records:matter_step", args=[matter.pk])
    response = client.post(url, {"step": "implementation", "text": "x"})
    assert response.status_code == 409
    assert "步骤顺序不对" in response.content.decode()
    assert not matter.steps.exists()


def test_staff_record_a_meeting_by_the_form(client, place, matter):
    client.force_login(place.staff)
    url = reverse("records:meeting_new", args=[matter.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "held_at": "2026-01-05T09:00",
        "place": "会议室",
        "text": "审议方案",
        "vote_method": "show_of_hands",
        "present": place.committee_ids[:4],
        "yes": 4,
        "no": 0,
        "abstain": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.outcome == "passed"
    assert meeting.present_count == 4
    bad = client.post(url, {**data, "yes": 9})
    assert bad.status_code in (409, 422)


def test_attachments_are_private_and_served_after_a_permission_check(
    client, place, matter
):
    services.attachment_add(
        matter_id=matter.pk, actor=place.staff, title="方案", file=_png()
    )
    attachment = Attachment.objects.get()
    url = reverse("records:attachment", args=[matter.pk, attachment.pk])
    assert client.get(url).status_code == 403
    client.force_login(linked_user(place.residents[0]))
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_upload_of_another_type_is_refused(client, place, matter):
    client.force_login(place.staff)
    fake = io.BytesIO(b"<html>not an image</html>")
    fake.name = "scan.png"
    response = client.post(
        reverse("records:matter_attach", args=[matter.pk]),
        {"title": "x", "file": fake},
    )
    assert response.status_code == 422
    assert not Attachment.objects.exists()


def test_resident_supports_a_proposal_once(client, place):
    user = linked_user(place.residents[1])
    proposal = services.proposal_create(
        community=place.community,
        actor=linked_user(place.residents[0]),
        title="增设充电桩",
        description="说明",
    )
    client.force_login(user)
    page = client.get(reverse("records:proposal", args=[proposal.pk]))
    assert "我支持" in page.content.decode()
    url = reverse("records:proposal_support", args=[proposal.pk])
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 409
    assert "每人只能支持一次" in again.content.decode()


def test_register_pages_list_matters_and_the_branch_decisions(
    client, place, matter, home_page
):
    from neighbourhoods.pages import CommunityPage, PartyBranchPage
    from neighbourhoods.services import register_pages_sync

    from .conftest import show_of_hands

    register_pages_sync(actor=None)
    page = CommunityPage.objects.get(community=place.community)
    assert matter.title in client.get(page.url).content.decode()
    branch = PartyBranchPage.objects.get(body=place.party)
    assert matter.title not in client.get(branch.url).content.decode()
    services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=show_of_hands(
            "party_proposal",
            "party_committee",
            body=place.party,
            present=place.committee_ids[:4],
            yes=4,
        ),
    )
    # The recorded step marks the cached register pages stale at once.
    assert matter.title in client.get(branch.url).content.decode()
