"""The district office's desk and the community's meeting form, through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Cancellation, ListVersion, MeetingNotice

pytestmark = pytest.mark.django_db


def test_the_office_drafts_fills_and_publishes_a_version(world, client):
    url = reverse("duties:office", args=[world.district.slug])
    client.force_login(world.community_user)
    assert client.get(url).status_code == 404
    client.force_login(world.office_user)
    start = timezone.localdate() + dt.timedelta(days=30)
    client.post(url, {"form": "version", "effective_from": start.isoformat()})
    version = ListVersion.objects.get()
    response = client.post(
        url,
        {
            "form": "item",
            "version": "1",
            "kind": "certificate",
            "title": "居住证明",
            "legal_basis": "《居住证暂行条例》",
        },
    )
    assert response.status_code == 422  # a certificate needs its verifiable facts
    client.post(
        url,
        {
            "form": "item",
            "version": "1",
            "kind": "duty",
            "title": "召集居民会议",
            "legal_basis": "《城市居民委员会组织法》",
            "department": "",
        },
    )
    assert client.post(url, {"form": "publish", "version": "1"}).status_code == 302
    version.refresh_from_db()
    assert version.published_at is not None
    again = client.post(
        url,
        {
            "form": "item",
            "version": "1",
            "kind": "duty",
            "title": "新增",
            "legal_basis": "x",
        },
    )
    assert again.status_code == 409
    assert "新版本" in again.content.decode()


def test_the_office_records_cancellations_and_refuses_bad_dates(world, client):
    url = reverse("duties:office", args=[world.district.slug])
    client.force_login(world.office_user)
    bad_day = client.post(url, {"form": "version", "effective_from": "2026-13-01"})
    assert bad_day.status_code == 422
    client.post(
        url,
        {
            "form": "cancellation",
            "category": "ledger",
            "title": "取消重复台账",
            "cancelled_on": "2026-03-01",
        },
    )
    assert Cancellation.objects.count() == 1
    assert (
        "取消重复台账"
        in client.get(
            reverse("duties:assessments", args=[world.district.slug])
        ).content.decode()
    )


def test_the_community_records_a_meeting_with_consent(world, client):
    community = world.communities[0]
    url = reverse("duties:desk", args=[community.slug])
    client.force_login(world.community_user)
    base = {
        "form": "meeting",
        "called_by": world.department.pk,
        "title": "部署会",
        "held_on": "2026-03-02",
    }
    half = client.post(url, {**base, "consent_by": "王主任"})
    assert half.status_code == 422
    client.post(url, {**base, "consent_by": "王主任", "consent_on": "2026-03-01"})
    client.post(url, base)
    assert MeetingNotice.objects.count() == 2
    page = client.get(url).content.decode()
    assert "未经街道主要负责人同意" in page


def test_the_community_files_a_ledger_taking_register_figures(world, client):
    from neighbourhoods.duties import services
    from neighbourhoods.models import LedgerFiling

    template = services.ledger_template_register(
        district=world.district,
        department=world.department,
        actor=None,
        title="安全台账",
        register_fields=["households"],
        other_fields=["隐患数"],
    )
    community = world.communities[0]
    url = reverse("duties:desk", args=[community.slug])
    client.force_login(world.community_user)
    base = {"form": "ledger", "template": template.pk}
    assert (
        client.post(url, {**base, "period": "2026-13", "value-0": "1"}).status_code
        == 422
    )
    assert (
        client.post(url, {**base, "period": "2026-03", "value-0": ""}).status_code
        == 422
    )
    assert (
        client.post(url, {**base, "period": "2026-03", "value-0": "2"}).status_code
        == 302
    )
    assert (
        client.post(url, {**base, "period": "2026-03", "value-0": "2"}).status_code
        == 409
    )
    assert LedgerFiling.objects.get().values == {"隐患数": "2", "households": 0}


def test_a_seal_use_needs_an_admitted_document(world, client):
    from neighbourhoods.models import SealUse

    from .conftest import admit, apply

    community = world.communities[0]
    url = reverse("duties:desk", args=[community.slug])
    client.force_login(world.community_user)
    base = {
        "form": "seal",
        "reason": "approved_document",
        "requester": "应急局",
        "approver": "主任",
    }
    refused = client.post(url, base)
    assert refused.status_code == 422
    assert "未经准入" in refused.content.decode()
    request = admit(world, apply(world))
    done = client.post(url, {**base, "admission": request.pk})
    assert done.status_code == 302
    assert SealUse.objects.get().admission == request
