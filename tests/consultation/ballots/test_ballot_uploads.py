"""Proxy authorisations and official result documents: hostile uploads refused with
nothing written, files kept privately, served only to those who manage the ballot."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.ballots.models import Ballot, Proxy, PublishedTally, RollEntry
from tests.consultation.factories import option_ids
from tests.neighbourhoods.factories import StaffAssignmentFactory
from tests.site.test_uploads import (
    MB,
    SCRIPT_HTML,
    SCRIPT_SVG,
    image_bytes,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("scan.jpg", SCRIPT_HTML, "image/jpeg", 422),
    ("auth.html", SCRIPT_HTML, "text/html", 422),
    ("auth.svg", SCRIPT_SVG, "image/svg+xml", 422),
    ("big.pdf", pdf_bytes(11 * MB), "application/pdf", 413),
]
HOSTILE_IDS = ["html-named-scan.jpg", "auth.html", "auth.svg", "11MB.pdf"]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.YISHI_PRIVATE_ROOT = tmp_path / "private"
    return Path(settings.YISHI_PRIVATE_ROOT)


def _stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _add_proxy(client, ballot, people, upload):
    entries = {e.voter_id: e.pk for e in RollEntry.objects.filter(ballot=ballot)}
    return client.post(
        f"/ballots/{ballot.pk}/proxies/",
        {
            "principal": entries[people[1].pk],
            "holder": people[2].pk,
            "authorisation": upload,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "browser_type", "status"), HOSTILE, ids=HOSTILE_IDS
)
def test_a_hostile_authorisation_is_refused_and_nothing_is_written(
    client, open_ballot, private_root, name, content, browser_type, status
):
    ballot, people, staff = open_ballot
    client.force_login(staff)
    upload = SimpleUploadedFile(name, content, content_type=browser_type)
    response = _add_proxy(client, ballot, people, upload)
    assert response.status_code == status
    assert "PDF" in response.content.decode() or "10 MB" in response.content.decode()
    assert not Proxy.objects.filter(ballot=ballot).exists()
    assert _stored(private_root) == []


def test_a_thirty_megabyte_body_never_reaches_the_view(client, open_ballot):
    ballot, people, staff = open_ballot
    client.force_login(staff)
    upload = SimpleUploadedFile("big.pdf", pdf_bytes(30 * MB), "application/pdf")
    response = _add_proxy(client, ballot, people, upload)
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()
    assert not Proxy.objects.filter(ballot=ballot).exists()


def _proxy_with_scan(client, ballot, people, staff) -> Proxy:
    client.force_login(staff)
    upload = SimpleUploadedFile("张三 委托书.html", image_bytes("PNG"), "text/html")
    assert _add_proxy(client, ballot, people, upload).status_code == 302
    client.logout()
    return Proxy.objects.get(ballot=ballot)


def test_a_scan_is_kept_privately_under_a_random_name(
    client, open_ballot, private_root
):
    ballot, people, staff = open_ballot
    proxy = _proxy_with_scan(client, ballot, people, staff)
    name = proxy.authorisation.name
    assert name.startswith("proxies/")
    assert name.endswith(".png")
    assert "张三" not in name
    assert "委托书" not in name
    path = Path(proxy.authorisation.path)
    assert path.is_relative_to(private_root)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert client.get(f"/media/{name}").status_code == 404


def test_who_may_download_an_authorisation(client, open_ballot):
    ballot, people, staff = open_ballot
    proxy = _proxy_with_scan(client, ballot, people, staff)
    url = f"/ballots/{ballot.pk}/proxies/{proxy.pk}/authorisation/"

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    client.force_login(people[0].user)  # a resident on the roll
    assert client.get(url).status_code == 403
    client.force_login(people[2].user)  # the proxy holder themself
    assert client.get(url).status_code == 403
    client.force_login(StaffAssignmentFactory().user)  # another community's staff
    assert client.get(url).status_code == 403

    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == image_bytes("PNG")
    assert client.get(url.replace(str(proxy.pk), "999999")).status_code == 404
    big = f"/ballots/{ballot.pk}/proxies/9223372036854775808/authorisation/"
    assert client.get(big).status_code == 404

    page = client.get(f"/ballots/{ballot.pk}/manage/").content.decode()
    assert url in page


def _official_data(ballot, document):
    ids = option_ids(ballot)
    return {
        "roll_heads": "3",
        "roll_area": "270.03",
        f"heads_{ids['yes']}": "2",
        f"area_{ids['yes']}": "180.02",
        "source_document": document,
    }


@pytest.fixture
def closed_consultative(client, open_ballot):
    ballot, people, staff = open_ballot
    Ballot.objects.filter(pk=ballot.pk).update(consultative=True)
    client.force_login(staff)
    client.post(f"/ballots/{ballot.pk}/state/", {"action": "close"})
    return ballot, people, staff


@pytest.mark.parametrize(
    ("name", "content", "browser_type", "status"), HOSTILE, ids=HOSTILE_IDS
)
def test_a_hostile_official_document_is_refused(
    client, closed_consultative, private_root, name, content, browser_type, status
):
    ballot, _people, _staff = closed_consultative
    upload = SimpleUploadedFile(name, content, content_type=browser_type)
    response = client.post(
        f"/ballots/{ballot.pk}/official/", _official_data(ballot, upload)
    )
    assert response.status_code == status
    assert not PublishedTally.objects.filter(ballot=ballot).exists()
    assert _stored(private_root) == []


def test_the_official_document_is_served_to_managers_only(client, closed_consultative):
    ballot, people, _staff = closed_consultative
    document = SimpleUploadedFile("结果.html", pdf_bytes(), "text/html")
    response = client.post(
        f"/ballots/{ballot.pk}/official/", _official_data(ballot, document)
    )
    assert response.status_code == 302
    published = PublishedTally.objects.get(ballot=ballot)
    assert published.source_document.name.startswith("official_results/")
    assert published.source_document.name.endswith(".pdf")

    url = f"/ballots/{ballot.pk}/official/document/"
    assert url in client.get(f"/ballots/{ballot.pk}/manage/").content.decode()
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    client.force_login(people[0].user)
    assert client.get(url).status_code == 403
    client.force_login(StaffAssignmentFactory().user)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
