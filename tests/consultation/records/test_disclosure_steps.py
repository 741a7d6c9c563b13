"""A matter's two disclosure steps are entries of the disclosure board: drafted and
submitted in one action, reviewed by the supervisory committee, and recorded on the
matter when published."""

from __future__ import annotations

import pytest

from consultation.disclosures import services as board
from consultation.disclosures.models import DisclosureEntry
from consultation.records import selectors, services
from consultation.records.models import MatterStep
from yishi.audit import AuditEntry

from .conftest import hold_all_meetings, linked_user, open_matter


def _publish(place, entry, reviewer):
    board.disclosure_review(entry_id=entry.pk, actor=reviewer, approve=True)
    return board.disclosure_publish(entry_id=entry.pk, actor=place.staff)


def _matter_state(matter):
    matter.refresh_from_db()
    return matter.status, matter.awaiting_step


def test_the_whole_walk_to_the_result_disclosure(place):
    reviewer = linked_user(place.supervisor)
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    assert _matter_state(matter) == ("in_progress", "resolution_disclosed")

    entry = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    assert entry.state == "in_review"
    assert entry.kind == DisclosureEntry.Kind.DECISION
    assert (entry.source_kind, entry.source_id) == ("matter", matter.pk)
    assert entry.title == f"决议公开：{matter.title}"
    assert "居民会议或居民代表会议决议：通过" in entry.text
    # Submitted, approved: the matter still waits until the entry is published.
    board.disclosure_review(entry_id=entry.pk, actor=reviewer, approve=True)
    assert _matter_state(matter) == ("in_progress", "resolution_disclosed")
    published = board.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    assert _matter_state(matter) == ("in_progress", "implementation")
    line = MatterStep.objects.filter(matter=matter).order_by("pk").last()
    assert (line.step, line.outcome) == ("resolution_disclosed", "done")
    assert f"第 {published.seq} 条" in line.text

    services.matter_step_record(
        matter_id=matter.pk, actor=place.staff, step="implementation", text="已施工。"
    )
    result = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    assert result.kind == DisclosureEntry.Kind.IMPLEMENTATION
    assert "组织实施" in result.text
    _publish(place, result, reviewer)
    assert _matter_state(matter) == ("completed", "")

    steps = [row["line"].step for row in selectors.matter_page(matter.pk)["timeline"]]
    assert steps == [
        "party_proposal",
        "two_committees",
        "party_members_review",
        "residents_resolution",
        "resolution_disclosed",
        "implementation",
        "result_disclosed",
    ]
    rows = selectors.matter_disclosures(matter.pk)
    assert [r["entry"].kind for r in rows] == ["decision", "implementation"]
    assert all(r["entry"].published and r["phase"] == "displayed" for r in rows)
    assert AuditEntry.objects.filter(action="matter_disclose").count() == 2


def test_disclosing_before_the_resolution_is_refused_and_writes_nothing(place):
    matter = open_matter(place)
    with pytest.raises(services.RecordsError) as refused:
        services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    assert refused.value.status == 409
    assert "尚未到公开这一步" in refused.value.message
    assert not DisclosureEntry.objects.exists()
    assert not MatterStep.objects.filter(matter=matter).exists()
    assert not AuditEntry.objects.filter(action="matter_disclose").exists()


def test_a_second_submission_while_one_is_in_review_is_refused(place):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    with pytest.raises(services.RecordsError) as refused:
        services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    assert refused.value.status == 409
    assert DisclosureEntry.objects.count() == 1


def test_the_disclosure_step_cannot_be_typed_in_by_hand(place):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    with pytest.raises(services.RecordsError) as refused:
        services.matter_step_record(
            matter_id=matter.pk,
            actor=place.staff,
            step="resolution_disclosed",
            text="已公开。",
        )
    assert refused.value.status == 409
    assert _matter_state(matter) == ("in_progress", "resolution_disclosed")


def test_someone_not_staff_may_not_disclose(place):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    outsider = linked_user(place.residents[0])
    with pytest.raises(services.RecordsError) as refused:
        services.matter_disclose(matter_id=matter.pk, actor=outsider)
    assert refused.value.status == 403
    assert not DisclosureEntry.objects.exists()


def test_a_returned_entry_keeps_the_matter_waiting(place):
    reviewer = linked_user(place.supervisor)
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    entry = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    board.disclosure_review(
        entry_id=entry.pk, actor=reviewer, approve=False, opinion="请补充投票情况。"
    )
    assert _matter_state(matter) == ("in_progress", "resolution_disclosed")
    with pytest.raises(board.DisclosureError):
        board.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    assert _matter_state(matter) == ("in_progress", "resolution_disclosed")


def test_a_general_entry_publishes_without_touching_matters(place):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    entry = board.disclosure_draft(
        community=place.community,
        actor=place.staff,
        kind="decision",
        title="其他决定",
        text="与本事项无关。",
    )
    board.disclosure_submit(entry_id=entry.pk, actor=place.staff)
    board.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
    board.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    assert _matter_state(matter) == ("in_progress", "resolution_disclosed")


def test_the_matter_page_drafts_and_links_the_entry(place, client):
    matter = open_matter(place)
    url = f"/matters/{matter.pk}/disclose/"
    client.force_login(place.staff)
    early = client.post(url)
    assert early.status_code == 409
    assert "尚未到公开这一步" in early.content.decode()
    assert not DisclosureEntry.objects.exists()

    hold_all_meetings(place, matter)
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert url in page
    response = client.post(url)
    entry = DisclosureEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/disclosures/entry/{entry.pk}/"
    board.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
    board.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert f"/disclosures/entry/{entry.pk}/" in page
    assert f"/disclosures/entry/{entry.pk}/notice.pdf" in page
    assert "公示期" in page


def test_a_resident_cannot_use_the_button(place, client):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    client.force_login(linked_user(place.residents[0]))
    response = client.post(f"/matters/{matter.pk}/disclose/")
    assert response.status_code == 403
    assert not DisclosureEntry.objects.exists()


def test_an_entry_under_review_is_not_shown_to_the_public(place, client):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    entry = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert f"/disclosures/entry/{entry.pk}/" not in page
    client.force_login(place.staff)
    page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert f"/disclosures/entry/{entry.pk}/" in page
