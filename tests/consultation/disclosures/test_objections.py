"""Objections: residents only, in the display window, pseudonymised; replies; the
overdue escalation sent once by `disclosures_notify` (frozen clock)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultation.disclosures import services
from consultation.disclosures.models import EscalationNotice
from tests.consultation.disclosures.factories import at, board_setup, publish_entry
from tests.neighbourhoods.factories import PersonFactory, UserFactory
from yishi import sms

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)  # a Monday; the entry is displayed through 9 Nov


@pytest.fixture
def displayed():
    board = board_setup()
    entry = publish_entry(board, now=at(DAY))
    return board, entry


def test_residents_object_under_a_stable_pseudonym(displayed):
    board, entry = displayed
    other = UserFactory()
    PersonFactory(home_community=board.community, user=other)
    first = services.objection_file(
        entry_id=entry.pk, actor=board.resident, text="支出不清", now=at(DAY)
    )
    second = services.objection_file(
        entry_id=entry.pk, actor=other, text="为何延期", now=at(DAY)
    )
    again = services.objection_file(
        entry_id=entry.pk, actor=board.resident, text="补充", now=at(DAY)
    )
    assert [o.pseudonym_index for o in (first, second, again)] == [1, 2, 1]
    # Filed on Monday 2 Nov: five days end Saturday 7 Nov, moved to Monday 9 Nov.
    assert first.reply_due == dt.date(2026, 11, 9)


def test_objections_refused_outside_the_window_or_from_strangers(displayed):
    board, entry = displayed
    with pytest.raises(services.DisclosureError) as caught:
        services.objection_file(
            entry_id=entry.pk,
            actor=board.resident,
            text="晚了",
            now=at(dt.date(2026, 11, 10)),
        )
    assert (caught.value.status, caught.value.code) == (409, "window_closed")
    with pytest.raises(services.DisclosureError) as caught:
        services.objection_file(
            entry_id=entry.pk, actor=UserFactory(), text="路过", now=at(DAY)
        )
    assert caught.value.status == 403
    assert not entry.objections.exists()


def test_reply_once(displayed):
    board, entry = displayed
    objection = services.objection_file(
        entry_id=entry.pk, actor=board.resident, text="支出不清", now=at(DAY)
    )
    with pytest.raises(services.DisclosureError) as caught:
        services.objection_reply(
            objection_id=objection.pk, actor=board.resident, text="我答"
        )
    assert caught.value.status == 403
    services.objection_reply(
        objection_id=objection.pk, actor=board.staff, text="明细已张贴"
    )
    with pytest.raises(services.DisclosureStateError):
        services.objection_reply(
            objection_id=objection.pk, actor=board.staff, text="再答"
        )


def test_overdue_reply_is_escalated_once(displayed, monkeypatch, settings):
    settings.YISHI_SMS_BACKEND = "yishi.sms.LocmemBackend"
    sms.outbox.clear()
    board, entry = displayed
    services.objection_file(
        entry_id=entry.pk, actor=board.resident, text="支出不清", now=at(DAY)
    )
    monkeypatch.setattr(timezone, "now", lambda: at(dt.date(2026, 11, 9), 23))
    call_command("disclosures_notify")
    assert not EscalationNotice.objects.exists()  # due through the end of 9 Nov
    monkeypatch.setattr(timezone, "now", lambda: at(dt.date(2026, 11, 10), 8))
    call_command("disclosures_notify")
    call_command("disclosures_notify")
    notice = EscalationNotice.objects.get()
    assert notice.recipients == 1
    assert "居民甲" in notice.text
    assert len(sms.outbox) == 1
