"""Drafting, review, publication, corrections, redactions and settings: each
refusal with its status and nothing written."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from consultation.disclosures import selectors, services
from consultation.disclosures.models import DisclosureEntry, DisclosureFile
from tests.consultation.disclosures.factories import at, board_setup, publish_entry
from tests.neighbourhoods.factories import CompoundFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def draft(board, **kwargs):
    values = {"kind": "major", "title": "加装电梯工作方案", "text": "方案全文。"}
    values.update(kwargs)
    return services.disclosure_draft(
        community=board.community, actor=board.staff, **values
    )


def test_review_then_publish_in_the_chain():
    board = board_setup()
    entry = draft(board)
    services.disclosure_submit(
        entry_id=entry.pk, actor=board.staff, now=at(dt.date(2026, 11, 2))
    )
    entry.refresh_from_db()
    assert entry.state == "in_review"
    assert entry.review_until == dt.date(2026, 11, 9)
    with pytest.raises(services.DisclosureStateError) as caught:
        services.disclosure_publish(
            entry_id=entry.pk, actor=board.staff, now=at(dt.date(2026, 11, 3))
        )
    assert caught.value.code == "review_pending"
    published = services.disclosure_publish(
        entry_id=entry.pk, actor=board.staff, now=at(dt.date(2026, 11, 10))
    )
    assert published.review_outcome == "no_objection"
    assert (published.seq, published.display_from) == (1, dt.date(2026, 11, 10))
    # 7 days from Tue 10 Nov: Tue 17 Nov, a working day.
    assert published.display_until == dt.date(2026, 11, 17)
    assert published.content()["display_until"] == "2026-11-17"


def test_only_the_supervisory_committee_reviews_and_a_return_needs_a_reason():
    board = board_setup()
    entry = draft(board)
    services.disclosure_submit(entry_id=entry.pk, actor=board.staff)
    with pytest.raises(services.DisclosureError) as caught:
        services.disclosure_review(entry_id=entry.pk, actor=board.staff, approve=True)
    assert caught.value.status == 403
    with pytest.raises(services.DisclosureError) as caught:
        services.disclosure_review(
            entry_id=entry.pk, actor=board.supervisor, approve=False
        )
    assert caught.value.status == 422
    services.disclosure_review(
        entry_id=entry.pk, actor=board.supervisor, approve=False, opinion="金额需附明细"
    )
    entry.refresh_from_db()
    assert entry.state == "returned"
    assert entry.review_opinion == "金额需附明细"
    services.disclosure_update(
        entry_id=entry.pk, actor=board.staff, text="方案全文，附明细。"
    )
    services.disclosure_submit(entry_id=entry.pk, actor=board.staff)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"kind": "finance", "period": ""}, "period"),
        ({"kind": "finance", "period": "2026-13"}, "period"),
        ({"kind": "general", "period": "2026-10"}, "period"),
        ({"kind": "major", "period": "2026-10"}, "period"),
        ({"text": "联系电话 13912345678"}, "personal_data"),
        ({"title": ""}, "invalid"),
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "maintenance_fund"}, "compound"),
    ],
)
def test_bad_drafts_are_refused(kwargs, code):
    board = board_setup()
    with pytest.raises(services.DisclosureError) as caught:
        draft(board, **kwargs)
    assert (caught.value.status, caught.value.code) == (422, code)
    assert not DisclosureEntry.objects.exists()


def test_strangers_may_not_draft_or_publish():
    board = board_setup()
    with pytest.raises(services.DisclosureError) as caught:
        services.disclosure_draft(
            community=board.community,
            actor=UserFactory(),
            kind="major",
            title="x",
            text="y",
        )
    assert caught.value.status == 403
    entry = publish_entry(board)
    with pytest.raises(services.DisclosureError) as caught:
        services.disclosure_update(entry_id=entry.pk, actor=board.staff, title="改标题")
    assert (caught.value.status, caught.value.code) == (409, "published")


def test_display_period_floor_is_refused():
    board = board_setup()
    with pytest.raises(services.DisclosureError) as caught:
        services.disclosure_settings_update(
            community=board.community, actor=board.staff, display_days=5
        )
    assert (caught.value.status, caught.value.code) == (422, "below_floor")
    settings = services.disclosure_settings_update(
        community=board.community, actor=board.staff, display_days=15, reply_days=3
    )
    assert (settings.display_days, settings.reply_days) == (15, 3)


def test_a_correction_points_to_the_corrected_entry():
    board = board_setup()
    first = publish_entry(board, kind="finance", period="2026-10")
    correction = services.disclosure_draft(
        community=board.community,
        actor=board.staff,
        kind="finance",
        period="2026-10",
        title="更正：2026年10月财务收支",
        text="支出应为 850.00 元。",
        corrects=first,
    )
    services.disclosure_submit(entry_id=correction.pk, actor=board.staff)
    services.disclosure_review(
        entry_id=correction.pk, actor=board.supervisor, approve=True
    )
    published = services.disclosure_publish(entry_id=correction.pk, actor=board.staff)
    assert published.content()["corrects"] == 1
    assert published.content()["change"] == "correction"
    assert selectors.chain_verdict(board.community.pk).ok


def test_redaction_supersedes_removes_the_file_keeps_the_hash(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.YISHI_PRIVATE_ROOT = tmp_path
    board = board_setup()
    entry = publish_entry(board, files=((ContentFile(PDF, name="a.pdf"), "明细"),))
    stored = DisclosureFile.objects.get()
    path = tmp_path / stored.file.name
    assert path.exists()
    assert entry.attachments[0]["sha256"] == stored.sha256
    with django_capture_on_commit_callbacks(execute=True):
        redaction = services.disclosure_redact(
            entry_id=entry.pk, actor=board.staff, reason="附件含住户姓名"
        )
    stored.refresh_from_db()
    assert not path.exists()
    assert not stored.file
    assert stored.removed_at
    assert redaction.corrects_id == entry.pk
    assert redaction.change == "redaction"
    assert selectors.chain_verdict(board.community.pk).ok
    with pytest.raises(services.DisclosureStateError):
        services.disclosure_redact(entry_id=entry.pk, actor=board.staff, reason="再次")


def test_compound_entry_shows_on_both_boards():
    board = board_setup()
    other = board_setup()
    compound = CompoundFactory(communities=[board.community, other.community])
    entry = publish_entry(
        board, kind="maintenance_fund", compound=compound, title="维修资金使用"
    )
    assert entry.community == board.community
    for community in (board.community, other.community):
        assert [e.pk for e in selectors.board_page(community)] == [entry.pk]
    assert selectors.chain_verdict(other.community.pk).checked == 0


def test_attachments_of_another_type_are_refused():
    board = board_setup()
    with pytest.raises(services.DisclosureError) as caught:
        draft(board, files=((ContentFile(b"<html>", name="a.pdf"), "x"),))
    assert caught.value.status == 422
    assert not DisclosureEntry.objects.exists()
