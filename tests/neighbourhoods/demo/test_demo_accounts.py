"""The accounts' demo: staff_yangguang sees one pending link request; newcomer is on
no roll until it is verified; 阳光社区's official numbers are public."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from neighbourhoods.accounts.models import AccountLinkRequest
from neighbourhoods.demo.context import DEMO_PASSWORD
from neighbourhoods.models import Community, Person

pytestmark = pytest.mark.django_db


def test_staff_see_one_pending_request(seeded, client):
    assert "待核实的账号关联 1 份" in seeded
    assert "newcomer" in seeded
    request = AccountLinkRequest.objects.get(status="pending")
    assert request.community.name == "阳光社区"
    staff = get_user_model().objects.get(username="staff_yangguang")
    client.force_login(staff)
    page = client.get("/account/links/").content.decode()
    assert f"{request.claimed_name} · {request.claimed_unit}" in page
    assert page.count("核实通过并关联") == 1


def test_newcomer_signs_in_unlinked(seeded, client):
    assert client.login(username="newcomer", password=DEMO_PASSWORD)
    assert not Person.objects.filter(user__username="newcomer").exists()
    page = client.get("/account/link/").content.decode()
    assert "正在等待社区工作人员核实" in page


def test_official_numbers_public(seeded):
    community = Community.objects.get(name="阳光社区")
    assert community.office_phone_public
    assert community.grids.filter(worker_phone_public=True).count() == 1
