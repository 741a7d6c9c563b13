"""Minutes: drafted from the record, edited, confirmed into the meeting record,
signed by members present, printed as A4 PDF."""

import pytest
from django.urls import reverse

from consultation.records.models import Meeting, MeetingAttendance
from consultation.records.services.errors import RecordsError
from consultation.rooms import services
from consultation.rooms.models import Room, RoomParticipant
from tests.consultation.rooms.helpers import build_hall

pytestmark = pytest.mark.django_db


def act(hall, user, name, **params):
    return services.room_action(
        room_id=hall.room.pk, actor=user, name=name, params=params
    )


@pytest.fixture
def held():
    """A meeting with two members online, one in the hall, statements, closed."""
    hall = build_hall()
    item = hall.room.items.first()
    act(hall, hall.chair, "item_open", item_id=item.pk)
    for user in (hall.chair, hall.members[0]):
        seat = hall.seat(user)
        services.participant_joined(room_id=hall.room.pk, participant_id=seat.pk)
    act(
        hall,
        hall.secretary,
        "presence_mark",
        participant_id=hall.seat(hall.members[1]).pk,
        in_hall=True,
    )
    act(hall, hall.members[0], "statement", text="赞成加装，费用按楼层分摊。")
    return hall


def test_draft_from_the_record(held):
    room = services.minutes_draft(room_id=held.room.pk, actor=held.secretary)
    text = room.minutes_text
    assert "居民议事会第三次会议会议纪要" in text
    assert "应到 5 人，实到 3 人；已达到到会人数要求" in text
    assert "一、加装电梯" in text
    assert "赞成加装，费用按楼层分摊。" in text
    assert "缺席：" in text


def test_only_the_secretary_and_only_until_confirmed(held):
    with pytest.raises(RecordsError) as refused:
        services.minutes_draft(room_id=held.room.pk, actor=held.members[0])
    assert refused.value.status == 403
    services.minutes_draft(room_id=held.room.pk, actor=held.secretary)
    with pytest.raises(RecordsError) as open_meeting:
        services.minutes_confirm(room_id=held.room.pk, actor=held.secretary)
    assert open_meeting.value.status == 409
    services.minutes_edit(
        room_id=held.room.pk, actor=held.secretary, text="修改后的纪要"
    )
    with pytest.raises(RecordsError):
        services.minutes_edit(room_id=held.room.pk, actor=held.secretary, text=" ")
    act(held, held.chair, "close")
    room = services.minutes_confirm(room_id=held.room.pk, actor=held.secretary)
    assert room.minutes_status == Room.MinutesStatus.CONFIRMED
    meeting = Meeting.objects.get(pk=room.pk)
    assert (meeting.text, meeting.expected_count, meeting.present_count) == (
        "修改后的纪要",
        5,
        3,
    )
    assert MeetingAttendance.objects.filter(meeting=meeting, present=True).count() == 3
    with pytest.raises(RecordsError) as frozen:
        services.minutes_edit(room_id=held.room.pk, actor=held.secretary, text="再改")
    assert frozen.value.status == 409


def test_pages_sign_and_pdf(client, held):
    url = reverse("rooms:minutes", args=[held.room.pk])
    client.force_login(held.secretary)
    assert client.post(url, {"do": "draft"}).status_code == 302
    assert client.post(url, {"do": "edit", "text": "纪要正文"}).status_code == 302
    assert client.post(url, {"do": "confirm"}).status_code == 409  # still open
    act(held, held.chair, "close")
    assert client.post(url, {"do": "confirm"}).status_code == 302
    assert client.post(url, {"do": "nonsense"}).status_code == 422
    client.force_login(held.members[0])
    page = client.get(url).content.decode()
    assert "纪要正文" in page
    assert "确认签名" in page
    answer = client.post(reverse("rooms:minutes_sign", args=[held.room.pk]))
    assert answer.status_code == 302
    seat = RoomParticipant.objects.get(room=held.room, user=held.members[0])
    assert MeetingAttendance.objects.get(person_id=seat.person_id).confirmed_at
    pdf = client.get(reverse("rooms:minutes_pdf", args=[held.room.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    client.force_login(held.outsider)
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("rooms:minutes_pdf", args=[held.room.pk])).status_code == 403
    )
