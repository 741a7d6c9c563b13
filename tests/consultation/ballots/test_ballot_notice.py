"""Notice before a vote (issue 9 item 13): a ballot opens only when its notice was
published early enough for its rule (an owners' assembly: 15 days, 物业管理条例
Art. 14), counted in Asia/Shanghai days; the notice is on the ballot page and its
tally sheets. Refusals write nothing."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import timezone

from consultation.ballots import services
from consultation.ballots.models import Ballot, BallotNotice, RollEntry
from tests.consultation.factories import owners_ballot, owners_compound
from tests.neighbourhoods.factories import StaffAssignmentFactory, UserFactory
from yishi.audit import AuditEntry

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(monkeypatch, day: dt.date, hour: int = 10, minute: int = 0) -> None:
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def draft():
    """A draft owners' ballot (owners-ordinary) with no notice: (ballot, staff)."""
    compound, community, _people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff)
    BallotNotice.objects.filter(ballot=ballot).delete()
    return ballot, staff


def _untouched(ballot: Ballot) -> None:
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.DRAFT
    assert ballot.opened_at is None
    assert not RollEntry.objects.filter(ballot=ballot).exists()
    assert not AuditEntry.objects.filter(
        action="ballot_open", target_id=str(ballot.pk)
    ).exists()


def test_an_owners_ballot_without_a_notice_does_not_open(draft):
    ballot, staff = draft
    with pytest.raises(services.BallotError) as refused:
        services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert refused.value.status == 409
    assert refused.value.code == "notice_missing"
    assert "《物业管理条例》第十四条" in refused.value.message
    assert "15 日" in refused.value.message
    _untouched(ballot)


def test_exactly_15_days_after_the_notice_voting_opens(monkeypatch, draft):
    ballot, staff = draft
    at(monkeypatch, dt.date(2026, 3, 1))
    services.notice_record(ballot_id=ballot.pk, channels=["notice_board"], actor=staff)
    # 23:30 on 15 March in Shanghai (15:30 UTC): 14 days, refused, naming the 16th.
    at(monkeypatch, dt.date(2026, 3, 15), hour=23, minute=30)
    with pytest.raises(services.BallotError) as refused:
        services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert refused.value.status == 409
    assert refused.value.code == "notice_too_late"
    assert "2026-03-16" in refused.value.message
    assert "2026-03-01" in refused.value.message
    _untouched(ballot)
    # 00:30 on 16 March in Shanghai is still 15 March in UTC: 15 days, it opens.
    at(monkeypatch, dt.date(2026, 3, 16), hour=0, minute=30)
    opened = services.ballot_open(ballot_id=ballot.pk, actor=staff)
    assert opened.status == Ballot.Status.OPEN


def test_a_ballot_without_a_rule_opens_without_a_notice():
    compound, community, _people, staff = owners_compound(2)
    survey = owners_ballot(
        compound, community, staff, kind="single", options=["甲", "乙"], rule_id=""
    )
    BallotNotice.objects.filter(ballot=survey).delete()
    assert services.ballot_open(ballot_id=survey.pk, actor=staff).status == "open"


def test_recording_a_notice_is_audited_and_a_draft_may_correct_it(draft):
    ballot, staff = draft
    day = timezone.localdate() - dt.timedelta(days=20)
    services.notice_record(
        ballot_id=ballot.pk,
        published_on=day,
        channels=["website", "notice_board", "website"],
        actor=staff,
    )
    services.notice_record(
        ballot_id=ballot.pk,
        published_on=day - dt.timedelta(days=1),
        channels=["wechat_group"],
        actor=staff,
    )
    notice = BallotNotice.objects.get(ballot=ballot)
    assert notice.published_on == day - dt.timedelta(days=1)
    assert notice.channels == ["wechat_group"]
    lines = AuditEntry.objects.filter(
        action="ballot_notice_record", target_id=str(ballot.pk), actor=staff
    ).order_by("pk")
    assert [line.detail["channels"] for line in lines] == [
        ["website", "notice_board"],
        ["wechat_group"],
    ]
    assert lines[0].detail["published_on"] == day.isoformat()
    assert lines[0].actor == staff


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"published_on": "tomorrow"}, "notice_in_future"),
        ({"channels": []}, "notice_channel_missing"),
        ({"channels": ["loudspeaker"]}, "bad_notice_channel"),
    ],
)
def test_bad_notices_are_refused_with_422_and_nothing_written(draft, changes, code):
    ballot, staff = draft
    arguments = {
        "ballot_id": ballot.pk,
        "channels": ["notice_board"],
        "actor": staff,
        "published_on": timezone.localdate(),
    }
    arguments.update(changes)
    if arguments["published_on"] == "tomorrow":
        arguments["published_on"] = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.BallotError) as refused:
        services.notice_record(**arguments)
    assert (refused.value.status, refused.value.code) == (422, code)
    assert not BallotNotice.objects.filter(ballot=ballot).exists()
    assert not AuditEntry.objects.filter(
        action="ballot_notice_record", actor=staff
    ).exists()


def test_only_those_who_manage_the_ballot_record_a_notice(draft):
    ballot, _staff = draft
    viewer = StaffAssignmentFactory(community=ballot.community, role="viewer").user
    for user in (viewer, UserFactory()):
        with pytest.raises(services.BallotError) as refused:
            services.notice_record(
                ballot_id=ballot.pk, channels=["notice_board"], actor=user
            )
        assert refused.value.status == 403
    assert not BallotNotice.objects.filter(ballot=ballot).exists()


def test_the_notice_is_fixed_once_the_ballot_opens(open_ballot):
    ballot, _people, staff = open_ballot
    before = BallotNotice.objects.get(ballot=ballot)
    with pytest.raises(services.BallotError) as refused:
        services.notice_record(ballot_id=ballot.pk, channels=["website"], actor=staff)
    assert refused.value.status == 409
    assert BallotNotice.objects.get(ballot=ballot).channels == before.channels


# --- Pages ---------------------------------------------------------------------


def test_the_manage_page_records_a_notice(client, draft):
    ballot, staff = draft
    client.force_login(staff)
    page = client.get(f"/ballots/{ballot.pk}/manage/").content.decode()
    assert "登记公告" in page
    assert "须提前 15 日公告" in page
    day = timezone.localdate() - dt.timedelta(days=16)
    response = client.post(
        f"/ballots/{ballot.pk}/notice/",
        {"published_on": day.isoformat(), "channels": ["notice_board", "website"]},
    )
    assert response.status_code == 302
    notice = BallotNotice.objects.get(ballot=ballot)
    assert (notice.published_on, notice.channels) == (day, ["notice_board", "website"])
    page = client.get(f"/ballots/{ballot.pk}/manage/").content.decode()
    earliest = (day + dt.timedelta(days=15)).isoformat()
    assert f"最早可于 {earliest} 开始投票" in page
    response = client.post(f"/ballots/{ballot.pk}/state/", {"action": "open"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"published_on": "2026-13-45", "channels": ["website"]}, 422),
        ({"published_on": "", "channels": ["website"]}, 422),
        ({"published_on": "2020-01-01", "channels": ["smoke"]}, 422),
        ({"published_on": "2020-01-01"}, 422),
    ],
)
def test_a_bad_notice_form_answers_its_status(client, draft, form, status):
    ballot, staff = draft
    client.force_login(staff)
    response = client.post(f"/ballots/{ballot.pk}/notice/", form)
    assert response.status_code == status
    assert "没有写入任何内容" in response.content.decode()
    assert not BallotNotice.objects.filter(ballot=ballot).exists()


def test_opening_too_early_answers_409_with_the_earliest_day(client, draft):
    ballot, staff = draft
    services.notice_record(ballot_id=ballot.pk, channels=["notice_board"], actor=staff)
    client.force_login(staff)
    response = client.post(f"/ballots/{ballot.pk}/state/", {"action": "open"})
    assert response.status_code == 409
    earliest = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    assert earliest in response.content.decode()
    _untouched(ballot)


def test_a_viewer_cannot_post_a_notice(client, draft):
    ballot, _staff = draft
    viewer = StaffAssignmentFactory(community=ballot.community, role="viewer").user
    client.force_login(viewer)
    response = client.post(
        f"/ballots/{ballot.pk}/notice/",
        {"published_on": "2020-01-01", "channels": ["website"]},
    )
    assert response.status_code == 403
    assert not BallotNotice.objects.filter(ballot=ballot).exists()


def test_the_ballot_page_and_tally_sheets_show_the_notice(client):
    compound, community, people, staff = owners_compound(3)
    ballot = owners_ballot(compound, community, staff, results_visibility="live")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    notice = BallotNotice.objects.get(ballot=ballot)
    day = notice.published_on.isoformat()
    client.force_login(people[0].user)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert f"{day} 发布" in page
    assert "公告栏、小区微信群" in page
    assert "开始投票前 30 日" in page
    client.force_login(staff)
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/ballots/{ballot.pk}/tally.xlsx").content)
    )
    rows = [tuple(row) for row in workbook.active.iter_rows(values_only=True)]
    assert ("公告", f"{day} 发布 · 公告栏、小区微信群 · 开始投票前 30 日") in [
        row[:2] for row in rows
    ]
    from consultation.ballots import exports

    sheet = exports.tally_sheet(Ballot.objects.get(pk=ballot.pk))
    html = exports.tally_sheet_html(sheet, ballot_url="http://testserver/")
    assert f"{day} 发布 · 公告栏、小区微信群 · 开始投票前 30 日" in html
