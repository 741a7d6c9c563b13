"""Seating a residents' meeting (居民会议) or an owners' assembly (业主大会) from the
roll snapshot of its basis (`domain.assembly`).

The roll is taken once, when the room is created (`neighbourhoods.rolls`: a few
queries for the whole scope, then pure Python), and kept as the room's seats and
totals: a later change of the register does not change who is seated nor the
quorum's denominators. Seats are written in bulk; names are read in batches — no
query per person, whatever the size of the community.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from consultation.ballots.services import voting_settings_of
from neighbourhoods.models import Compound, Person
from neighbourhoods.rolls.domain import OwnerCountingOptions, RollBasis, RollSnapshot
from neighbourhoods.rolls.scopes import ScopeKind
from neighbourhoods.rolls.selectors import RollScope, RollScopeError, roll_snapshot

from ..domain.assembly import (
    ASSEMBLY_BASES,
    ASSEMBLY_FAMILY,
    AssemblyKind,
    Seat,
)
from ..models import RoomParticipant
from .core import invalid

R = RoomParticipant.Role
SCOPES = (ScopeKind.COMMUNITY, ScopeKind.COMPOUND)
KEY_LABELS = {
    "hh": "户（未确定户代表）",
    "co": "共有业主（未推选表决人）",
    "dev": "建设单位",
}


@dataclass(frozen=True)
class Assembly:
    kind: AssemblyKind
    basis: RollBasis
    scope: RollScope
    roll: RollSnapshot
    family: str


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _scope(community, scope_kind: str, scope_id) -> RollScope:
    if scope_kind not in SCOPES:
        raise invalid(_("范围须为本社区或其中的小区。 Community or compound."))
    if scope_kind == ScopeKind.COMMUNITY:
        return RollScope(ScopeKind.COMMUNITY, community.pk)
    found = _is_id(scope_id) and (
        Compound.objects.filter(pk=scope_id, communities=community).exists()
    )
    if not found:
        raise invalid(_("请选择本社区的小区。 Choose a compound of this community."))
    return RollScope(ScopeKind.COMPOUND, scope_id)


def assembly_roll(community, kind: str, basis: str, scope_kind: str, scope_id, day):
    """The assembly's roll snapshot on `day` (422 if the basis does not fit)."""
    found = AssemblyKind(kind)
    if not isinstance(basis, str) or basis not in ASSEMBLY_BASES[found]:
        raise invalid(
            _("这种会议不能按这个范围召开。 Wrong basis for this meeting."),
            "wrong_basis",
        )
    scope = _scope(community, scope_kind, scope_id)
    settings = voting_settings_of(community)
    options = OwnerCountingOptions(
        count_parking_area=settings.count_parking_area,
        count_parking_only_owners=settings.count_parking_only_owners,
    )
    try:
        roll = roll_snapshot(
            scope=scope, basis=RollBasis(basis), as_of=day, options=options
        )
    except RollScopeError:
        raise invalid(_("这个范围不能编制名册。 No roll for this scope.")) from None
    return Assembly(found, RollBasis(basis), scope, roll, ASSEMBLY_FAMILY[found])


def _names(person_ids: list[int]) -> dict[int, tuple[str, int | None]]:
    """person id -> (name, login id), read in batches the database accepts."""
    size = connection.features.max_query_params or 10_000
    size = min(size - 10, 10_000)
    found: dict[int, tuple[str, int | None]] = {}
    for start in range(0, len(person_ids), size):
        rows = Person.objects.filter(pk__in=person_ids[start : start + size])
        for pk, name, user_id in rows.values_list("pk", "full_name", "user_id"):
            found[pk] = (name, user_id)
    return found


def _loose_name(key: str) -> str:
    prefix, _sep, rest = key.partition(":")
    return f"{KEY_LABELS.get(prefix, key)} {rest}".strip()


def _role(pid, chair_ids, secretary_id, default: str) -> str:
    if pid == secretary_id:
        return R.SECRETARY
    return R.CHAIR if pid in chair_ids else default


def assembly_seats(room, seats: list[Seat], chair_ids, secretary_id, invited_ids):
    """The seats' rows (not saved): the roll's voters and voter-less members with a
    vote, then the chair, secretary and invited residents not on the roll."""
    on_roll = {s.person_id for s in seats if s.person_id is not None}
    others = [
        pid
        for pid in dict.fromkeys([*chair_ids, secretary_id, *invited_ids])
        if _is_id(pid) and pid not in on_roll
    ]
    names = _names([*on_roll, *others])
    rows = []
    for seat in seats:
        pid = seat.person_id
        name, user_id = names.get(pid, (_loose_name(seat.key), None))
        rows.append(
            RoomParticipant(
                room=room,
                person_id=pid if pid in names else None,
                user_id=user_id,
                name=name,
                role=_role(pid, chair_ids, secretary_id, R.MEMBER),
                eligible=True,
                roll_key=seat.key,
                heads=seat.heads,
                area=seat.area,
            )
        )
    for pid in others:
        if pid in names:
            name, user_id = names[pid]
            role = _role(pid, chair_ids, secretary_id, R.INVITED)
            rows.append(
                RoomParticipant(
                    room=room, person_id=pid, user_id=user_id, name=name, role=role
                )
            )
    return rows


def chairs_found(community, chair_ids, seats: list[Seat]) -> bool:
    """Every chair is on the roll or a person of this community."""
    ids = set(chair_ids)
    if not ids or not all(_is_id(p) for p in ids):
        return False
    rest = ids - {s.person_id for s in seats}
    found = Person.objects.filter(pk__in=rest, home_community=community).count()
    return found == len(rest)
