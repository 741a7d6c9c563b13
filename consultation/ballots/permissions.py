"""Who may do what with a ballot.

- Staff who may change a community's register manage its ballots (open, enter paper
  ballots and proxies, close, publish, download the voter list) and see the roll and
  conflicts.
- A ballot whose roll is drawn from a compound (an owners' vote on a compound above
  all) is convened and managed by staff who answer for the whole compound: editors
  of the compound's subdistrict, or editors of EVERY community the compound touches.
  Why: a compound (小区, the property-management area of 物业管理条例 Art. 9) may span
  two communities, and an owners' vote legitimately covers all of it; the staff who
  run it list the roll and enter paper votes for every owner in it, so they must be
  staff who may already open the register pages of each of those owners. An editor
  of one of the communities alone may not (they could otherwise read and write for
  residents of the other community through the ballot). The compound's owners'
  committee may convene later (its own permission, issue to come). Reading such a
  ballot before it is published likewise needs the register of every community it
  touches, or a place on its roll.
- Every other ballot (a community, a building, a residents' group, a body) keeps the
  community rule: editors of its community manage it, its register's readers see it.
- A person on the ballot's roll may see the ballot and vote while it is open; other
  residents of its community see the page (and why they are not on the roll).
- A published ballot's tally is public.
- A tally hidden until close is shown to nobody — staff included — while it is open.
- `None` as the user is the system (the demo, a management command): always allowed.
"""

from __future__ import annotations

from neighbourhoods.models import (
    Body,
    Building,
    Community,
    Compound,
    ResidentsGroup,
)
from neighbourhoods.permissions import can_change_register, is_staff_for, staff_grants
from neighbourhoods.rolls.scopes import RollScope, ScopeKind

from .models import Ballot, RollEntry


def person_of(user):
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


# ---- A compound's ballots ----


def _settled(user) -> bool | None:
    """True for the system (None) and superusers, False for the signed-out and the
    inactive; None: the user's staff assignments decide."""
    if user is None:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return True if user.is_superuser else None


def _staff_of(user, community: Community, *, edit: bool) -> bool:
    """Staff of the community or of its subdistrict (the register's rule, its
    assignments read once per request)."""
    settled = _settled(user)
    if settled is not None:
        return settled
    return is_staff_for(user, community, edit=edit)


def _answers_for_compound(user, compound_id: int, *, edit: bool) -> bool:
    """Staff of the compound's subdistrict, or of every community it touches.

    No query beyond the user's assignments for a user who is not staff (a resident
    opening the ballot).
    """
    settled = _settled(user)
    if settled is not None:
        return settled
    communities, subdistricts = staff_grants(user, edit=edit)
    if not (communities or subdistricts):
        return False
    compound = Compound.objects.filter(pk=compound_id).values("subdistrict_id").first()
    if compound is None:
        return False
    if compound["subdistrict_id"] in subdistricts:
        return True
    touched = Community.objects.filter(compounds=compound_id).values_list(
        "pk", "subdistrict_id"
    )
    return bool(touched) and all(
        pk in communities or subdistrict in subdistricts for pk, subdistrict in touched
    )


def can_convene_compound(user, compound: Compound) -> bool:
    """Whether `user` may create and run a ballot over the whole compound."""
    return _answers_for_compound(user, compound.pk, edit=True)


def convenable_compounds(user, community: Community) -> list[Compound]:
    """The compounds of `community` over which `user` may convene a ballot."""
    compounds = Compound.objects.filter(communities=community).order_by("name")
    return [c for c in compounds if can_convene_compound(user, c)]


def _compound_id(ballot: Ballot) -> int | None:
    """The compound a ballot's roll is drawn from, if it is drawn from one."""
    return ballot.scope_id if ballot.scope_kind == ScopeKind.COMPOUND else None


# ---- Creating ----


def _scope_community_ids(scope: RollScope) -> set[int]:
    """The communities a roll scope lies in (empty when the scope does not exist)."""
    kind = ScopeKind(scope.kind)
    if kind == ScopeKind.COMMUNITY:
        return set(Community.objects.filter(pk=scope.id).values_list("pk", flat=True))
    if kind == ScopeKind.COMPOUND:
        return set(
            Community.objects.filter(compounds=scope.id).values_list("pk", flat=True)
        )
    model = {
        ScopeKind.BUILDING: Building,
        ScopeKind.RESIDENTS_GROUP: ResidentsGroup,
        ScopeKind.BODY: Body,
    }[kind]
    return set(model.objects.filter(pk=scope.id).values_list("community_id", flat=True))


def can_create_ballot(user, community: Community, scope: RollScope) -> bool:
    """A ballot of `community` whose roll is drawn from `scope`.

    The scope must lie in the community; a compound's needs `can_convene_compound`.
    """
    if not can_change_register(user, community):
        return False
    try:
        kind = ScopeKind(scope.kind)
    except ValueError:
        return False
    if community.pk not in _scope_community_ids(scope):
        return False
    if kind == ScopeKind.COMPOUND:
        compound = Compound.objects.filter(pk=scope.id).first()
        return compound is not None and can_convene_compound(user, compound)
    return True


# ---- Managing and reading ----


def can_manage_ballot(user, ballot: Ballot) -> bool:
    compound_id = _compound_id(ballot)
    if compound_id is not None:
        return _answers_for_compound(user, compound_id, edit=True)
    return _staff_of(user, ballot.community, edit=True)


def manageable(user, ballots) -> list[Ballot]:
    """Those of `ballots` the user may manage, asked once per compound or
    community (what `can_manage_ballot` depends on), not once per ballot."""
    decided: dict = {}
    found = []
    for ballot in ballots:
        key = (_compound_id(ballot), ballot.community_id)
        if key not in decided:
            decided[key] = can_manage_ballot(user, ballot)
        if decided[key]:
            found.append(ballot)
    return found


def is_on_roll(user, ballot: Ballot) -> bool:
    person = person_of(user)
    if person is None or ballot.status == Ballot.Status.DRAFT:
        return False
    return RollEntry.objects.filter(ballot=ballot, voter=person).exists()


def _reads_register_of(user, ballot: Ballot) -> bool:
    compound_id = _compound_id(ballot)
    if compound_id is not None:
        return _answers_for_compound(user, compound_id, edit=False)
    return _staff_of(user, ballot.community, edit=False)


def can_view_ballot(user, ballot: Ballot) -> bool:
    if ballot.status == Ballot.Status.PUBLISHED:
        return True
    if ballot.status == Ballot.Status.DRAFT:
        return can_manage_ballot(user, ballot)
    # The free question first (the resident record came with the user), the roll
    # last: the answer is the same in any order.
    return (
        is_resident_of(user, ballot)
        or _reads_register_of(user, ballot)
        or is_on_roll(user, ballot)
    )


def is_resident_of(user, ballot: Ballot) -> bool:
    """A resident of the ballot's community sees an open or closed ballot's page —
    and, if not on its roll, why not — but votes only if on the roll."""
    person = person_of(user)
    return person is not None and person.home_community_id == ballot.community_id


def tally_hidden_while_open(ballot: Ballot) -> bool:
    """The one home of the hidden-tally rule: shown to nobody until the close."""
    return (
        ballot.status == Ballot.Status.OPEN
        and ballot.results_visibility == Ballot.ResultsVisibility.AFTER_CLOSE
    )


def can_see_tally(user, ballot: Ballot) -> bool:
    if ballot.status == Ballot.Status.PUBLISHED:
        return True
    if ballot.status == Ballot.Status.DRAFT or tally_hidden_while_open(ballot):
        return False
    return can_view_ballot(user, ballot)
