"""Issue 9, item 17: who convenes and runs a ballot over a compound spanning two
communities — subdistrict editors, or editors of every community it touches — on
creating, managing, exporting and entering paper votes alike; one test per role and
action. Other ballots keep the community rule."""

from __future__ import annotations

import pytest

from consultation.ballots import services
from consultation.ballots.models import Ballot, Participation
from neighbourhoods.models import ExclusivePart, Ownership, Person, StaffAssignment
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from tests.consultation.factories import noticed, option_ids
from tests.neighbourhoods.factories import (
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    SubdistrictFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EDITOR = StaffAssignment.Role.EDITOR
VIEWER = StaffAssignment.Role.VIEWER
ROLES = ("subdistrict_editor", "editor_of_both", "editor_of_one", "viewer", "resident")
ALLOWED = {"subdistrict_editor", "editor_of_both"}


class Place:
    """Subdistrict > communities A and B; compound C spans both, one owner in each."""

    def __init__(self):
        self.subdistrict = SubdistrictFactory()
        self.a = CommunityFactory(subdistrict=self.subdistrict)
        self.b = CommunityFactory(subdistrict=self.subdistrict)
        self.compound = CompoundFactory(
            subdistrict=self.subdistrict, communities=[self.a, self.b]
        )
        self.owners = []
        for community in (self.a, self.b):
            building = BuildingFactory(compound=self.compound, community=community)
            part = ExclusivePart.objects.create(
                building=building,
                kind=ExclusivePart.Kind.DWELLING,
                number="101",
                area_register=9000,
            )
            person = Person.objects.create(
                full_name=f"业主{community.pk}",
                home_community=community,
                user=UserFactory(),
            )
            Ownership.objects.create(
                part=part, person=person, basis=Ownership.Basis.REGISTERED
            )
            self.owners.append(person)

    def user(self, role: str):
        if role == "resident":
            return self.owners[0].user  # on the roll, in community A
        user = UserFactory()
        if role == "subdistrict_editor":
            grants = [{"subdistrict": self.subdistrict, "role": EDITOR}]
        elif role == "editor_of_both":
            grants = [{"community": c, "role": EDITOR} for c in (self.a, self.b)]
        elif role == "editor_of_one":
            grants = [{"community": self.a, "role": EDITOR}]
        else:
            grants = [{"community": c, "role": VIEWER} for c in (self.a, self.b)]
        for grant in grants:
            StaffAssignment.objects.create(user=user, **grant)
        return user

    def ballot(self, *, status: str = "draft", **kwargs) -> Ballot:
        settings = {
            "community": self.a,
            "compound": self.compound,
            "title": "关于加装电梯的业主表决",
            "kind": "motion",
            "options": None,
            "basis": RollBasis.OWNERS,
            "scope": RollScope(ScopeKind.COMPOUND, self.compound.pk),
            "rule_id": "owners-ordinary",
            "results_visibility": Ballot.ResultsVisibility.LIVE,
            "actor": None,
        }
        settings.update(kwargs)
        ballot = noticed(services.ballot_create(**settings))
        if status in ("open", "closed"):
            services.ballot_open(ballot_id=ballot.pk, actor=None)
        if status == "closed":
            services.ballot_close(ballot_id=ballot.pk, actor=None)
        return ballot


@pytest.fixture
def place():
    return Place()


def _status(response, allowed: bool, ok: int = 302) -> None:
    assert response.status_code == (ok if allowed else 403), response.content[:300]


@pytest.mark.parametrize("role", ROLES)
def test_create_by_the_service(place, role):
    user = place.user(role)
    if role in ALLOWED:
        ballot = place.ballot(actor=user)
        assert ballot.created_by == user
    else:
        with pytest.raises(services.BallotForbidden) as refusal:
            place.ballot(actor=user)
        assert refusal.value.status == 403
        assert "小区" in refusal.value.message or "无权" in refusal.value.message
        assert not Ballot.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_create_by_the_form(client, place, role):
    user = place.user(role)
    client.force_login(user)
    url = f"/ballots/new/{place.a.slug}/"
    choice = f"compound:{place.compound.pk}"
    page = client.get(url)
    if role in ("viewer", "resident"):
        assert page.status_code == 403
    else:
        assert page.status_code == 200
        assert (choice in page.content.decode()) == (role in ALLOWED)
    response = client.post(
        url,
        {
            "title": "加装电梯",
            "kind": "motion",
            "basis": "owners",
            "scope": choice,
            "rule_id": "owners-ordinary",
            "weighted_by_area": "on",
            "secrecy": "named",
            "results_visibility": "after_close",
            "min_choices": 1,
            "max_choices": 1,
            "seats": 1,
        },
    )
    expected = {"editor_of_one": 422, "viewer": 403, "resident": 403}
    assert response.status_code == expected.get(role, 302)
    assert Ballot.objects.exists() == (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "status"), [("open", "draft"), ("close", "open"), ("publish", "closed")]
)
def test_manage_state(client, place, role, action, status):
    ballot = place.ballot(status=status)
    client.force_login(place.user(role))
    response = client.post(f"/ballots/{ballot.pk}/state/", {"action": action})
    _status(response, role in ALLOWED)
    ballot.refresh_from_db()
    moved = {"open": "open", "close": "closed", "publish": "published"}[action]
    assert (ballot.status == moved) == (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_manage_page_and_list(client, place, role):
    ballot = place.ballot(status="open")
    client.force_login(place.user(role))
    _status(client.get(f"/ballots/{ballot.pk}/manage/"), role in ALLOWED, ok=200)
    listing = client.get("/ballots/").content.decode()
    assert (f"/ballots/{ballot.pk}/manage/" in listing) == (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_voter_list_export(client, place, role, fmt):
    ballot = place.ballot(status="open")
    client.force_login(place.user(role))
    response = client.get(f"/ballots/{ballot.pk}/voters.{fmt}")
    _status(response, role in ALLOWED, ok=200)


@pytest.mark.parametrize("role", ROLES)
def test_tally_sheet_before_publication(client, place, role):
    """A live tally: staff answering for the whole compound, and voters on its roll."""
    ballot = place.ballot(status="open")
    client.force_login(place.user(role))
    response = client.get(f"/ballots/{ballot.pk}/tally.xlsx")
    allowed = role in ALLOWED or role in ("viewer", "resident")
    _status(response, allowed, ok=200)


def test_tally_sheet_refused_to_a_viewer_of_one_community(client, place):
    ballot = place.ballot(status="open")
    user = UserFactory()
    StaffAssignment.objects.create(user=user, community=place.a, role=VIEWER)
    client.force_login(user)
    assert client.get(f"/ballots/{ballot.pk}/tally.xlsx").status_code == 403
    assert client.get(f"/ballots/{ballot.pk}/").status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_paper_vote_entry(client, place, role):
    ballot = place.ballot(status="open")
    other = place.owners[1]  # a resident of community B
    entry = ballot.roll.get(voter=other)
    client.force_login(place.user(role))
    response = client.post(
        f"/ballots/{ballot.pk}/paper/",
        {
            "entry": entry.pk,
            "option": option_ids(ballot)["yes"],
            "sheet_number": "P-0001",
            "witness": "张监票",
        },
    )
    _status(response, role in ALLOWED)
    written = Participation.objects.filter(ballot=ballot, entry=entry).exists()
    assert written == (role in ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_paper_vote_entry_by_the_service(place, role):
    ballot = place.ballot(status="open")
    entry = ballot.roll.get(voter=place.owners[1])
    call = {
        "ballot_id": ballot.pk,
        "entry_id": entry.pk,
        "selection": {"options": [option_ids(ballot)["yes"]]},
        "sheet_number": "P-0002",
        "witness": "张监票",
        "actor": place.user(role),
    }
    if role in ALLOWED:
        services.paper_vote_enter(**call)
    else:
        with pytest.raises(services.BallotForbidden):
            services.paper_vote_enter(**call)
    assert Participation.objects.filter(ballot=ballot).exists() == (role in ALLOWED)


def test_a_building_ballot_keeps_the_community_rule(place):
    """An editor of one community runs a ballot over a building of it."""
    user = place.user("editor_of_one")
    building = place.compound.buildings.get(community=place.a)
    ballot = place.ballot(
        actor=user, compound=None, scope=RollScope(ScopeKind.BUILDING, building.pk)
    )
    services.ballot_open(ballot_id=ballot.pk, actor=user)
    assert ballot.roll.count() == 1


def test_a_scope_outside_the_community_is_refused(place):
    """The service, not only the form, checks that the scope lies in the community."""
    user = place.user("editor_of_one")
    building_b = place.compound.buildings.get(community=place.b)
    with pytest.raises(services.BallotForbidden):
        place.ballot(
            actor=user,
            compound=None,
            scope=RollScope(ScopeKind.BUILDING, building_b.pk),
        )


def test_a_compound_of_one_community_is_run_by_its_editors():
    building = BuildingFactory()
    community, compound = building.community, building.compound
    user = UserFactory()
    StaffAssignment.objects.create(user=user, community=community, role=EDITOR)
    ballot = services.ballot_create(
        community=community,
        compound=compound,
        title="表决",
        kind="motion",
        options=None,
        basis=RollBasis.OWNERS,
        scope=RollScope(ScopeKind.COMPOUND, compound.pk),
        actor=user,
    )
    services.ballot_open(ballot_id=ballot.pk, actor=user)
