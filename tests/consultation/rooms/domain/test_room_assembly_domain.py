"""An assembly's seats from its roll and its quorum at the boundaries (pure):
residents "过半数" is strictly more than half; owners "三分之二以上" is at least two
thirds, of the owners AND of the area, in exact integers."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.rules import rule_for
from consultation.rooms.domain.assembly import (
    Counting,
    Weight,
    counting_for,
    present_weight,
    roll_quorum,
    seats_from_roll,
)
from consultation.rooms.domain.minutes import MinutesFacts, RollAttendance, draft
from neighbourhoods.rolls.domain import RollBasis, RollMember
from neighbourhoods.rolls.domain.snapshot import snapshot_of

DAY = date(2026, 12, 3)
RESIDENTS = rule_for("residents-meeting", DAY)
RESIDENTS_2018 = rule_for("residents-meeting", date(2025, 6, 1))
OWNERS = rule_for("owners-ordinary", DAY)
counts = st.integers(min_value=1, max_value=100_000)


@given(counts, st.data())
def test_residents_quorum_is_strictly_more_than_half(expected, data):
    present = data.draw(st.integers(min_value=0, max_value=expected))
    for rule in (RESIDENTS, RESIDENTS_2018):
        found = roll_quorum(
            rule,
            Counting.HOUSEHOLDS,
            expected=Weight(expected),
            present=Weight(present),
        )
        assert found.met == (2 * present > expected)


@given(st.integers(min_value=1, max_value=50_000))
def test_residents_exactly_half_is_not_enough(half):
    expected = 2 * half
    at_half = roll_quorum(
        RESIDENTS, Counting.HEADS, expected=Weight(expected), present=Weight(half)
    )
    one_more = roll_quorum(
        RESIDENTS, Counting.HEADS, expected=Weight(expected), present=Weight(half + 1)
    )
    assert (at_half.met, one_more.met) == (False, True)


@given(counts, st.integers(min_value=1, max_value=10**9), st.data())
def test_owners_quorum_is_two_thirds_or_more_of_both(owners, area, data):
    present = data.draw(st.integers(min_value=0, max_value=owners))
    present_area = data.draw(st.integers(min_value=0, max_value=area))
    found = roll_quorum(
        OWNERS,
        Counting.OWNERS,
        expected=Weight(owners, area),
        present=Weight(present, present_area),
    )
    assert found.met == (3 * present >= 2 * owners and 3 * present_area >= 2 * area)


@given(st.integers(min_value=1, max_value=30_000))
def test_owners_exactly_two_thirds_is_enough(third):
    owners, area = 3 * third, 3 * third * 100
    exactly = roll_quorum(
        OWNERS,
        Counting.OWNERS,
        expected=Weight(owners, area),
        present=Weight(2 * third, 2 * third * 100),
    )
    short_by_a_hundredth = roll_quorum(
        OWNERS,
        Counting.OWNERS,
        expected=Weight(owners, area),
        present=Weight(2 * third, 2 * third * 100 - 1),
    )
    assert exactly.met
    assert not short_by_a_hundredth.met


def test_nobody_expected_is_never_quorate_and_present_is_capped():
    assert not roll_quorum(
        RESIDENTS, Counting.HEADS, expected=Weight(0), present=Weight(0)
    ).met
    capped = roll_quorum(
        RESIDENTS, Counting.HEADS, expected=Weight(3), present=Weight(9)
    )
    assert capped.present == 3
    assert capped.met


def test_counting_by_basis():
    assert counting_for(RollBasis.OWNERS) is Counting.OWNERS
    assert counting_for(RollBasis.HOUSEHOLD_REPRESENTATIVES) is Counting.HOUSEHOLDS
    assert counting_for(RollBasis.RESIDENTS_ADULT) is Counting.HEADS
    assert counting_for("") is Counting.MEMBERS


def _member(key, voter, heads=1, area=0):
    return RollMember(
        key=key,
        person_ids=(voter,) if voter else (),
        voter_person_id=voter,
        heads=heads,
        area=area,
        part_ids=(),
    )


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(min_value=1, max_value=8)),
            st.integers(min_value=0, max_value=1),
            st.integers(min_value=0, max_value=20_000),
        ),
        max_size=30,
    )
)
def test_seats_carry_the_whole_roll_once(rows):
    members = [_member(f"m:{i:03d}", v, h, a) for i, (v, h, a) in enumerate(rows)]
    roll = snapshot_of(RollBasis.OWNERS, DAY, members, ())
    seats = seats_from_roll(roll)
    voters = [s.person_id for s in seats if s.person_id is not None]
    assert len(voters) == len(set(voters))  # one seat per voter
    assert sum(s.heads for s in seats) == roll.head_count
    assert sum(s.area for s in seats) == roll.total_area


@given(
    st.dictionaries(
        st.integers(min_value=1, max_value=50),
        st.tuples(st.integers(0, 3), st.integers(0, 10_000)),
    ),
    st.sets(st.integers(min_value=1, max_value=60)),
    st.sets(st.integers(min_value=1, max_value=60)),
)
def test_present_counts_each_seat_once(weights, online, in_hall):
    table = {k: Weight(h, a) for k, (h, a) in weights.items()}
    found = present_weight(table, online, in_hall)
    here = (online | in_hall) & set(table)
    assert found.heads == sum(table[k].heads for k in here)
    assert found.area == sum(table[k].area for k in here)


def test_minutes_attendance_in_counts():
    roll = RollAttendance(
        counting="households",
        expected=20_000,
        present=10_001,
        in_hall=1,
        online=10_000,
        speakers=("张三",),
    )
    text = draft(
        MinutesFacts(
            title="居民会议",
            body="",
            held_at="2026年12月03日 09:00",
            place="广场",
            expected=20_000,
            present_names=(),
            absent_names=(),
            others=(),
            quorum_met=True,
            rule_title="居民会议",
            chair="李四",
            secretary="王五",
            items=(),
            roll=roll,
        )
    )
    assert "应到 20000 户，实到 10001 户（现场签到 1 席，网上出席 10000 席）" in text
    assert "发言人：张三" in text
    assert "出席：" not in text
