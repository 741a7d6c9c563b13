"""ID-card and mobile numbers typed into free text (a matter's title and
description, a meeting's record, a step's text, an objection and its reply, a
consultation's description) are shown masked on every public page and printed
record; the stored record keeps what was typed."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
from django.urls import reverse

from consultation.consultations import services as consultations
from consultation.disclosures import services as board
from consultation.disclosures.models import Objection
from consultation.records import services
from consultation.records.models import Matter, MatterStep

from .conftest import hold_all_meetings, linked_user, open_matter, show_of_hands

MOBILE, MOBILE_MASKED = "13912345678", "139****5678"
ID_CARD, ID_MASKED = "110101199003078515", "**************8515"
PII = f"联系人王阿姨 {MOBILE}，身份证 {ID_CARD}"


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _assert_masked(text: str, where: str) -> None:
    assert MOBILE not in text, where
    assert ID_CARD not in text, where
    assert MOBILE_MASKED in text, where


@pytest.fixture
def recorded(place):
    """A matter whose every free text holds the numbers, its first meeting too."""
    matter = open_matter(place, title=f"加装电梯 {MOBILE}", description=PII)
    data = show_of_hands(
        "party_proposal",
        "party_committee",
        body=place.party,
        present=place.committee_ids[:4],
        yes=4,
    )
    services.meeting_record(
        matter_id=matter.pk,
        actor=place.staff,
        data=dataclasses.replace(data, text=PII, place=f"会议室 {MOBILE}", dissent=PII),
    )
    services.supervision_opinion_record(
        matter_id=matter.pk,
        actor=place.staff,
        text=PII,
        supervisor_id=place.supervisor.pk,
    )
    return matter


def test_the_matter_page_and_lists_show_the_numbers_masked(client, place, recorded):
    page = client.get(reverse("records:matter", args=[recorded.pk]))
    _assert_masked(page.content.decode(), "matter page")
    assert ID_MASKED in page.content.decode()
    listing = client.get(
        reverse("records:community_matters", args=[place.community.slug])
    )
    _assert_masked(listing.content.decode(), "community's matters")
    assert Matter.objects.get().description == PII  # the record keeps what was typed


def test_printed_records_show_the_numbers_masked(client, place, recorded, tmp_path):
    dossier = client.get(reverse("records:dossier_pdf", args=[recorded.pk]))
    assert dossier.status_code == 200
    _assert_masked(_pdf_text(dossier.content, tmp_path), "dossier")
    line = MatterStep.objects.filter(matter=recorded).first()
    notice = client.get(reverse("records:step_notice", args=[recorded.pk, line.pk]))
    _assert_masked(_pdf_text(notice.content, tmp_path), "step notice")


def test_an_objection_and_its_reply_stored_earlier_show_the_numbers_masked(
    client, place
):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    entry = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    board.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
    board.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    resident = linked_user(place.residents[1])
    objection = board.objection_file(entry_id=entry.pk, actor=resident, text="请说明")
    board.objection_reply(objection_id=objection.pk, actor=place.staff, text="已说明")
    # The board refuses the numbers in new text; a text stored before that rule
    # is masked on the page all the same.
    Objection.objects.filter(pk=objection.pk).update(text=PII, reply=PII)
    for name, args in (
        ("disclosures:entry", [entry.pk]),
        ("records:matter", [matter.pk]),
    ):
        html = client.get(reverse(name, args=args)).content.decode()
        _assert_masked(html, name)


def test_a_consultation_page_shows_the_numbers_masked(client, place):
    found = consultations.consultation_create(
        community=place.community,
        actor=place.staff,
        title=f"楼道堆物清理 {MOBILE}",
        description=PII,
        source="residents",
        category="owners_fund_use",
        form="council",
    )
    html = client.get(reverse("consultations:detail", args=[found.pk])).content.decode()
    _assert_masked(html, "consultation")
    listing = client.get(
        reverse("consultations:community", args=[place.community.slug])
    ).content.decode()
    _assert_masked(listing, "community's consultations")


def test_the_community_page_lists_matter_titles_masked(place, recorded):
    from consultation.records.wagtail_hooks import community_matters

    titles = [item["title"] for item in community_matters(place.community.pk)]
    assert titles
    assert all(MOBILE not in title for title in titles)
    assert any(MOBILE_MASKED in title for title in titles)


def test_a_title_cannot_leave_the_printed_records_css_string():
    from consultation.ballots.exports.pdf import css_string

    written = css_string('议题</style><h1>x</h1>"\n\\')
    assert "<" not in written
    assert "\n" not in written
    assert written.startswith('"')
    assert written.endswith('"')
    assert written.count('"') == 3  # the typed quote is escaped: \"
