"""The liaison's admin: a station added through the service (audit line); requests
read-only."""

import pytest
from django.urls import reverse

from consultation.liaison.models import LiaisonStation
from tests.consultation.liaison.factories import liaison_setup, submitted
from yishi.audit import AuditEntry

pytestmark = pytest.mark.django_db


def test_station_added_through_the_service_and_requests_read_only(admin_client):
    liaison = liaison_setup()
    response = admin_client.post(
        reverse("admin:consultation_liaisonstation_add"),
        {
            "community": liaison.community.pk,
            "name": "代表联络站",
            "address": "党群服务中心",
            "office_hours": "工作日",
            "representatives": [liaison.representative.pk],
        },
    )
    assert response.status_code == 302
    station = LiaisonStation.objects.get()
    assert list(station.representatives.all()) == [liaison.representative]
    assert AuditEntry.objects.filter(action="liaison_station_create").exists()
    request = submitted(liaison)
    url = reverse("admin:consultation_liaisonrequest_change", args=[request.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "13800138000" not in page.content.decode()
    add = admin_client.get(reverse("admin:consultation_liaisonrequest_add"))
    assert add.status_code == 403
