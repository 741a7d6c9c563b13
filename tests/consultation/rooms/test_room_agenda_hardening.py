"""The agenda form's harder cases (found by a review): a ballot run by one item of
one room, a closed room, the choices' queries, hostile values."""

import pytest
from django.urls import reverse

from consultation.rooms import services
from consultation.rooms.models import AgendaItem
from tests.consultation.factories import owners_ballot
from tests.consultation.rooms.helpers import compound_council_room
from tests.consultation.rooms.test_room_agenda import _add, _client

pytestmark = pytest.mark.django_db


def _second_room(room, staff):
    """Another open room of the same community and body."""
    return services.room_create(
        community=room.meeting.community,
        body_id=room.meeting.body_id,
        actor=staff,
        title="第二次会议",
        place="活动室",
        chair_ids=(room.people.get(role="chair").person_id,),
    )


# ---- A ballot on one agenda only; a closed room; the choices' cost ----


def test_a_ballot_on_another_rooms_agenda_is_neither_offered_nor_taken():
    """Two rooms' chairs would each open and close the same ballot (actor_checked)."""
    room, _people, staff, ballot = compound_council_room()
    services.agenda_item_add(
        room_id=room.pk, actor=staff, title="加装电梯", ballot_id=ballot.pk
    )
    other = _second_room(room, staff)
    page = _client(staff).get(reverse("rooms:room", args=[other.pk]))
    offered = page.context["agenda_form"].fields["ballot"].choices
    assert ballot.pk not in [value for value, _label in offered]
    assert ballot.title not in page.content.decode()
    answer = _add(staff, other, title="再议加装电梯", ballot=str(ballot.pk))
    assert answer.status_code in (409, 422)
    assert not AgendaItem.objects.filter(room=other, ballot=ballot).exists()


def test_the_same_ballot_is_not_put_twice_on_one_agenda():
    room, _people, staff, ballot = compound_council_room()
    assert _add(staff, room, title="加装电梯", ballot=str(ballot.pk)).status_code == 302
    answer = _add(staff, room, title="加装电梯（续）", ballot=str(ballot.pk))
    assert answer.status_code in (409, 422)
    assert AgendaItem.objects.filter(room=room, ballot=ballot).count() == 1


def test_a_bad_form_for_a_closed_room_says_the_room_is_closed():
    """Today: 422 and a page with no form and no error (the form is only shown for
    an open room), so staff see nothing about why nothing happened."""
    room, people, staff, _ballot = compound_council_room()
    services.room_action(room_id=room.pk, actor=people[0].user, name="close", params={})
    answer = _add(staff, room, title="")
    assert answer.status_code == 409


def test_the_form_choices_cost_no_query_per_ballot(django_assert_max_num_queries):
    """`can_manage_ballot` of a compound's ballot reads the compound and its
    communities: 50 ballots, 100 queries, on every staff load of the room page."""
    from consultation.rooms.selectors import agenda_form_choices

    room, _people, staff, ballot = compound_council_room()
    compound = ballot.scope_id
    from neighbourhoods.models import Compound

    compound = Compound.objects.get(pk=compound)
    for i in range(10):
        owners_ballot(compound, room.meeting.community, staff, title=f"表决{i}")
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(pk=staff.pk)  # nothing cached on the user
    with django_assert_max_num_queries(8):
        choices = agenda_form_choices(room, staff)
    assert len(choices["ballots"]) == 11


# ---- Hold on e54e939 (guards) ----


@pytest.mark.parametrize(
    "data",
    [
        {"title": "议题", "matter": "0"},
        {"title": "议题", "ballot": "0"},
        {"title": "议题", "ballot": " 1"},
        {"title": "议题", "ballot": "1.0"},
        {"title": "议题", "ballot": "１"},  # full-width digit
        {"title": "议\x00题"},
        {"title": "\u3000\u3000"},  # ideographic spaces only
        {"title": "长" * 200 + " "},  # 200 after the strip: taken, see below
    ],
)
def test_hostile_values_never_500(data):
    room, _people, staff, _ballot = compound_council_room()
    answer = _add(staff, room, **data)
    assert answer.status_code in (302, 422)
    if answer.status_code == 422:
        assert not AgendaItem.objects.filter(room=room).exists()


def test_repeated_fields_take_one_value():
    room, _people, staff, ballot = compound_council_room()
    answer = _client(staff).post(
        reverse("rooms:agenda_add", args=[room.pk]),
        {"agenda-title": ["甲", "乙"], "agenda-ballot": ["", str(ballot.pk)]},
    )
    assert answer.status_code == 302
    item = AgendaItem.objects.get(room=room)
    assert (item.title, item.ballot_id) == ("乙", ballot.pk)


def test_a_compound_ballot_staff_of_one_community_may_not_manage():
    """A compound across two communities: staff of one only may not attach it."""
    from tests.neighbourhoods.factories import CommunityFactory, StaffAssignmentFactory

    room, _people, _staff, ballot = compound_council_room()
    from neighbourhoods.models import Compound

    compound = Compound.objects.get(pk=ballot.scope_id)
    compound.communities.add(CommunityFactory())
    lone = StaffAssignmentFactory(community=room.meeting.community).user
    page = _client(lone).get(reverse("rooms:room", args=[room.pk])).content.decode()
    assert "增加议程" in page
    assert f'value="{ballot.pk}"' not in page
    assert _add(lone, room, title="电梯", ballot=str(ballot.pk)).status_code == 422
    assert not AgendaItem.objects.filter(room=room).exists()
