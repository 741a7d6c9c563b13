"""Printed records: each step record as an A4 notice, the matter's dossier as one
PDF, and its ZIP of documents only for those who may read the files."""

from __future__ import annotations

import io
import subprocess
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from consultation.disclosures import services as board
from consultation.records import services
from consultation.records.models import MatterStep

from .conftest import hold_all_meetings, linked_user, open_matter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _text(tmp_path, data: bytes) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _disclosed(place):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    entry = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    board.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
    board.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    resident = linked_user(place.residents[1])
    objection = board.objection_file(
        entry_id=entry.pk, actor=resident, text="请说明经费来源。"
    )
    board.objection_reply(
        objection_id=objection.pk, actor=place.staff, text="由公益金列支。"
    )
    services.attachment_add(
        matter_id=matter.pk,
        actor=place.staff,
        title="设计图",
        file=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    return matter, entry


def test_a_step_record_prints_as_an_a4_notice(place, client, tmp_path):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    line = MatterStep.objects.filter(matter=matter, step="party_members_review").get()
    response = client.get(f"/matters/{matter.pk}/steps/{line.pk}/notice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(tmp_path, response.content)
    assert matter.title in text
    assert "党员大会审议" in text
    assert "盖章" in text
    assert "第1页共1页" in text.replace(" ", "")
    other = open_matter(place, title="另一事项")
    wrong = client.get(f"/matters/{other.pk}/steps/{line.pk}/notice.pdf")
    assert wrong.status_code == 404


def test_the_dossier_pdf_holds_every_record(place, client, tmp_path):
    matter, entry = _disclosed(place)
    response = client.get(f"/matters/{matter.pk}/dossier.pdf")
    assert response.status_code == 200
    text = _text(tmp_path, response.content).replace("\n", "")
    for expected in (
        "事项档案",
        "拟改造东侧空地",
        "党组织提议",
        "居民会议或居民代表会议决议",
        "决议公开",
        entry.title,
        "请说明经费来源",
        "由公益金列支",
        "设计图",
    ):
        assert expected in text, expected


def test_the_dossier_zip_is_for_those_who_may_read_the_files(place, client):
    matter, entry = _disclosed(place)
    url = f"/matters/{matter.pk}/dossier.zip"
    assert client.get(url).status_code == 302  # to the login page
    outsider = linked_user(_stranger())
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(place.staff)
    response = client.get(url)
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "dossier.pdf" in names
    assert len([n for n in names if n.startswith("steps/")]) == 5
    assert f"disclosures/entry-{entry.pk}.pdf" in names
    assert any(n.startswith("attachments/") for n in names)


def _stranger():
    from tests.neighbourhoods.factories import CommunityFactory, PersonFactory

    return PersonFactory(home_community=CommunityFactory())


def test_the_dossier_zip_holds_the_tally_sheet_of_a_step_voted_by_ballot(
    place, client, tmp_path
):
    from .test_matter_services import _ballot_input, _party_ballot, _step1, _step2

    matter = open_matter(place)
    _step1(place, matter)
    _step2(place, matter)
    ballot = _party_ballot(place)
    services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=_ballot_input(ballot, body=place.party),
    )
    client.force_login(place.staff)
    response = client.get(f"/matters/{matter.pk}/dossier.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = f"ballots/ballot-{ballot.pk}-tally.pdf"
    assert name in archive.namelist()
    text = _text(tmp_path, archive.read(name)).replace("\n", "")
    assert "党员大会表决：健身广场改造" in text
