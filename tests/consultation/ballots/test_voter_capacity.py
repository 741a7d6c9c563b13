"""The voter sees in what capacity they vote; a resident not on the roll sees why;
我的事项 lists what waits for them (issue #9 item 11)."""

import pytest

from consultation.ballots import services
from consultation.ballots.models import RollEntry
from neighbourhoods.models import Ownership, Person
from tests.consultation.factories import option_ids, owners_ballot, owners_compound
from tests.neighbourhoods.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_owned():
    """An open owners' ballot whose first dwelling has two owners, the first the
    nominated voter: (ballot, voter, co-owner, another owner)."""
    compound, community, people, staff = owners_compound(2)
    part = Ownership.objects.get(person=people[0]).part
    Ownership.objects.filter(part=part).update(nominated_voter=True)
    partner = PersonFactory(
        full_name="王共有", home_community=community, user=UserFactory()
    )
    Ownership.objects.create(
        part=part, person=partner, basis=Ownership.Basis.REGISTERED
    )
    ballot = owners_ballot(compound, community, staff)
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    return ballot, people[0], partner, people[1]


def test_the_voter_sees_units_area_and_co_owners(client, co_owned):
    ballot, voter, partner, _ = co_owned
    entry = RollEntry.objects.get(ballot=ballot, voter=voter)
    assert partner.pk in entry.person_ids
    client.force_login(voter.user)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "您以什么身份投票" in page
    assert "1000室" in page
    assert "90.00㎡" in page  # 9000 in 0.01 m²
    assert "王共有" in page


def test_a_co_owner_sees_who_votes_for_the_home(client, co_owned):
    ballot, voter, partner, _ = co_owned
    client.force_login(partner.user)
    page = client.get(f"/ballots/{ballot.pk}/").content.decode()
    assert "您不在本次投票的表决人名册中" in page
    assert f"由共有人 {voter.full_name} 代表投票" in page
    assert 'name="option"' not in page


def test_a_resident_who_owns_nothing_here_sees_why(client, co_owned):
    ballot, *_ = co_owned
    stranger = PersonFactory(home_community=ballot.community, user=UserFactory())
    client.force_login(stranger.user)
    page = client.get(f"/ballots/{ballot.pk}/")
    # An owners' ballot is shown to residents of the community who are on its roll;
    # others are refused, or told why they are not on it.
    if page.status_code == 200:
        assert "您名下没有本次投票范围内的专有部分" in page.content.decode()
    else:
        assert page.status_code == 403


def test_my_matters_lists_votes_waiting_then_voted(client, co_owned):
    ballot, voter, _, _ = co_owned
    client.force_login(voter.user)
    waiting = client.get("/my/").content.decode()
    assert "现在可以投票" in waiting
    assert ballot.title in waiting.split("已投票，等待结果")[0]
    services.vote_cast(
        ballot_id=ballot.pk, voter=voter, selection=[option_ids(ballot)["yes"]]
    )
    after = client.get("/my/").content.decode()
    assert "目前没有等您投票的事项" in after
    assert "已投票，等待结果" in after
    assert ballot.title in after


def test_my_matters_needs_a_login_and_says_when_no_resident_is_linked(client):
    assert client.get("/my/").status_code == 302
    client.force_login(UserFactory())
    page = client.get("/my/").content.decode()
    assert "还没有关联居民信息" in page
    assert Person.objects.count() == 0
