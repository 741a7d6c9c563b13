"""Planning a roll import: what each row creates, changes or leaves as it is.

`RegisterChangePlanner` walks the parsed rows against the register as it stands
(`existing.ExistingRegister`) and decides, for every record a row names, whether it is
new, changed (which fields) or unchanged, collecting every conflict between rows and
with the register as a row error. Nothing is written while planning, so a dry run is
the same code without `writes_apply`.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import (
    Building,
    Community,
    Compound,
    Entrance,
    ExclusivePart,
    Household,
    Ownership,
    Person,
    Residency,
    ResidentsGroup,
)
from .columns import BY_KEY
from .existing import ExistingRegister
from .parsing import echo
from .report import ENTITY_LABELS, RowError
from .rows import LOCATION_KEYS, Row, RowErrors, strip_suffix
from .writing import PendingWrite, write_counts, writes_apply


class RegisterChangePlanner:
    """Decides, without writing, what importing `rows` into `community` would change
    in its register; `apply` then writes exactly that."""

    def __init__(self, community: Community, errors: list[RowError]):
        self.community = community
        self.errors = errors
        self.register = ExistingRegister(community)
        self.pending: dict[str, dict] = {key: {} for key in ENTITY_LABELS}
        self._memo: dict[tuple, object] = {}

    # -- planning

    def plan(self, rows: list[Row], progress) -> None:
        self.register.load_hashes(row.id_hash for row in rows if row.id_hash)
        self._check_identities(rows)
        self.reps: dict[int, tuple[PendingWrite, PendingWrite, int]] = {}
        self.voters: dict[int, tuple[PendingWrite, PendingWrite, int]] = {}
        for row in rows:
            self._plan_row(row)
            progress.update(1)
        self._check_representatives()
        self._check_voters()

    def _check_identities(self, rows: list[Row]) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            if not row.id_hash:
                continue
            error = RowErrors(self.errors, row)
            if row.id_hash in seen:
                error(
                    "id_number",
                    _(
                        "身份证号与第 %(row)d 行重复。 "
                        "Duplicate ID number (same as row %(row)d)."
                    )
                    % {"row": seen[row.id_hash]},
                )
            seen.setdefault(row.id_hash, row.number)
            person = self.register.by_hash.get(row.id_hash)
            if person is not None and person.home_community_id != self.community.pk:
                error(
                    "id_number",
                    _(
                        "该身份证号已登记为其他社区的居民，请先由该社区办理迁出。 "
                        "This ID number belongs to a person registered in another "
                        "community; that community must move them out first."
                    ),
                )

    def _plan_row(self, row: Row) -> None:
        error = RowErrors(self.errors, row)
        failed_before = row.failed
        part = household = None
        if row.part_number and not row.failed_keys & LOCATION_KEYS:
            part = self._plan_part(row, error)
        if row.household and "residents_group" not in row.failed_keys:
            household = self._plan_household(row, part, error)
        if failed_before or row.failed:
            return  # its people cannot be matched reliably; the errors say why
        person = self._plan_person(row, household, part, error)
        if person is None:
            return
        if household is not None:
            self._plan_residency(row, person, household, error)
        if row.owner and part is not None:
            self._plan_ownership(row, person, part, error)

    def _track(self, kind: str, key, obj, row: Row, *, new: bool) -> PendingWrite:
        tracked = self.pending[kind].get(key)
        if tracked is None:
            tracked = self.pending[kind][key] = PendingWrite(
                obj=obj, new=new, row=row.number
            )
        return tracked

    def _conflict(self, error, key: str, earlier: int | None, *, household=False):
        if earlier is None:
            return
        if household:
            message = _(
                "同一户号在第 %(row)d 行填写的%(column)s不同。 "
                "Row %(row)d gives this household a different %(column)s."
            )
        else:
            message = _(
                "同一房屋在第 %(row)d 行填写的%(column)s不同。 "
                "Row %(row)d gives this dwelling a different %(column)s."
            )
        column = "住房" if key == "part_number" else BY_KEY[key].header
        error(key, message % {"row": earlier, "column": column})

    def _compound(self, row: Row, error) -> Compound | None:
        if not row.compound:
            if len(self.register.compounds) == 1:
                return self.register.compounds[0]
            error("compound", _("请填写小区。 The 小区 (compound) is missing."))
            return None
        for compound in self.register.compounds:
            if row.compound in (compound.name, compound.slug):
                return compound
        key = ("compound", row.compound)
        if key not in self._memo:  # one query per unknown name, not per row
            self._memo[key] = Compound.objects.filter(
                Q(name=row.compound) | Q(slug=row.compound)
            ).exists()
        if self._memo[key]:
            error(
                "compound",
                _(
                    "小区“%(name)s”不属于本社区。 Compound %(name)s is not in this "
                    "community."
                )
                % {"name": echo(row.compound)},
            )
        else:
            error(
                "compound",
                _("小区“%(name)s”不存在。 Unknown compound %(name)s.")
                % {"name": echo(row.compound)},
            )
        return None

    def _building(self, row: Row, compound: Compound, error) -> Building | None:
        number = row.building
        building = self.register.buildings.get(
            (compound.pk, number)
        ) or self.register.buildings.get(
            (compound.pk, strip_suffix(number, ("号楼", "栋", "幢", "号")))
        )
        if not number:
            error("building", _("请填写楼栋。 The 楼栋 (building) is missing."))
        elif building is None:
            error(
                "building",
                _(
                    "楼栋“%(number)s”不存在，请先在后台登记该楼栋。 "
                    "Unknown building %(number)s: add it in the admin first."
                )
                % {"number": echo(number)},
            )
        elif building.community_id != self.community.pk:
            error(
                "building",
                _(
                    "楼栋“%(number)s”属于其他社区。 "
                    "Building %(number)s belongs to another community."
                )
                % {"number": echo(number)},
            )
        else:
            return building
        return None

    def _plan_part(self, row: Row, error) -> PendingWrite | None:
        compound = self._compound(row, error)
        building = self._building(row, compound, error) if compound else None
        if building is None:
            return None
        entrance = None
        if row.entrance:
            key = (building.pk, row.entrance)
            existing = self.register.entrances.get(key)
            entrance = self._track(
                "entrance",
                key,
                existing or Entrance(building=building, number=row.entrance),
                row,
                new=existing is None,
            )
        key = (building.pk, row.entrance, row.part_number)
        existing = self.register.parts.get(key)
        if existing is None:
            obj = ExclusivePart(
                building=building,
                entrance=entrance.obj if entrance else None,
                number=row.part_number,
                kind=row.part_kind or ExclusivePart.Kind.DWELLING,
            )
        part = self._track("part", key, existing or obj, row, new=existing is None)
        if row.part_kind:
            self._conflict(
                error, "part_kind", part.state("kind", row.part_kind, row.number)
            )
        for name, area in row.areas.items():
            self._conflict(error, name, part.state(name, area, row.number))
        return part

    def _group(self, row: Row, error) -> ResidentsGroup | None:
        match = re.fullmatch(r"第?\s*(\d+)\s*(?:组|小组)?", row.residents_group)
        for group in self.register.groups:
            if (match and group.number == int(match.group(1))) or (
                group.name == row.residents_group
            ):
                return group
        error(
            "residents_group",
            _(
                "居民小组“%(group)s”不存在，请先在后台登记。 "
                "Unknown residents' group %(group)s."
            )
            % {"group": echo(row.residents_group)},
        )
        return None

    def _plan_household(
        self, row: Row, part: PendingWrite | None, error
    ) -> PendingWrite:
        existing = self.register.households.get(row.household)
        household = self._track(
            "household",
            row.household,
            existing or Household(community=self.community, number=row.household),
            row,
            new=existing is None,
        )
        if row.residents_group:
            group = self._group(row, error)
            if group is not None:
                earlier = self._set_household_group(household, group, row.number)
                self._conflict(error, "residents_group", earlier, household=True)
        if part is not None and part.obj.kind == ExclusivePart.Kind.DWELLING:
            earlier = household.state("dwelling", part, row.number, fk=True)
            self._conflict(error, "part_number", earlier, household=True)
        return household

    def _set_household_group(
        self, household: PendingWrite, group: ResidentsGroup, row: int
    ):
        key = ("group", group.pk)
        wrapper = self._memo.setdefault(
            key, PendingWrite(obj=group, new=False, row=row)
        )
        return household.state("residents_group", wrapper, row, fk=True)

    def _match_existing(self, row: Row, household, part) -> list[Person]:
        """Fallback identity when the row has no usable ID number: 户号 + name, or
        the owned dwelling + name, among this community's people."""
        found: list[Person] = []
        if household is not None and not household.new:
            found = self.register.by_household_name.get(
                (household.obj.pk, row.full_name), []
            )
        if not found and row.owner and part is not None and not part.new:
            found = self.register.by_part_name.get((part.obj.pk, row.full_name), [])
        return found

    def _existing_person(self, row: Row, household, part, error) -> Person | None:
        """The known person the row names, or None for a new one. A row that names
        no single person gets an error (and `row.failed`) instead."""
        person = self.register.by_hash.get(row.id_hash) if row.id_hash else None
        if person is not None:
            return person
        candidates = self._match_existing(row, household, part)
        if row.id_hash:
            # Attach the ID to a known person without one; else a new person.
            candidates = [p for p in candidates if not p.id_number_hash]
        elif row.masked_last4:
            candidates = [
                p
                for p in candidates
                if p.id_number_hash and p.id_number_last4 == row.masked_last4
            ]
            if not candidates:
                error(
                    "id_number",
                    _(
                        "打码的身份证号只能用于已登记的居民，且后四位须一致。 "
                        "A masked ID number only matches a registered person "
                        "with the same last four characters."
                    ),
                )
                return None
        if len(candidates) > 1:
            error(
                "full_name",
                _(
                    "该户（或房屋）有多名同名居民，请填写身份证号加以区分。 "
                    "Several people of this name here: give the ID number."
                ),
            )
            return None
        return candidates[0] if candidates else None

    def _plan_person(self, row: Row, household, part, error) -> PendingWrite | None:
        person = self._existing_person(row, household, part, error)
        if row.failed:
            return None  # the row names no single person; the error says why
        if person is not None:
            key = ("pk", person.pk)
        elif row.id_hash:
            key = ("hash", row.id_hash)
        else:
            key = ("new", row.household, row.part_number, row.full_name)
        claimed = self.pending["person"].get(key)
        if claimed is not None:
            error(
                "full_name",
                _(
                    "与第 %(row)d 行是同一居民；每人只占一行。 "
                    "Same person as row %(row)d: one row per person."
                )
                % {"row": claimed.row},
            )
            return None
        tracked = self._track(
            "person",
            key,
            person or Person(home_community=self.community, full_name=row.full_name),
            row,
            new=person is None,
        )
        tracked.state("full_name", row.full_name, row.number)
        if row.id_hash:
            tracked.state("id_number_hash", row.id_hash, row.number)
            tracked.state("id_number_last4", row.id_last4, row.number)
        birth_date = row.birth_date or row.id_born
        if birth_date:
            tracked.state("birth_date", birth_date, row.number)
        if row.phone:
            tracked.state("phone", row.phone, row.number)
        return tracked

    def _plan_residency(
        self, row: Row, person: PendingWrite, household: PendingWrite, error
    ):
        existing = None
        if not person.new and not household.new:
            existing = self.register.residencies.get((person.obj.pk, household.obj.pk))
        residency = self._track(
            "residency",
            ("pk", existing.pk) if existing else (id(person), id(household)),
            existing
            or Residency(
                person=person.obj, household=household.obj, kind=row.residence_kind
            ),
            row,
            new=existing is None,
        )
        residency.state("kind", row.residence_kind, row.number)
        residency.state("is_representative", bool(row.representative), row.number)
        residency.state("end_date", None, row.number)  # listed now: lives there now
        if row.representative:
            earlier = self.reps.get(id(household))
            if earlier is not None:
                error(
                    "representative",
                    _(
                        "同一户只能有一位户代表（第 %(row)d 行已是户代表）。 "
                        "One household representative only (row %(row)d is one)."
                    )
                    % {"row": earlier[2]},
                )
            else:
                self.reps[id(household)] = (household, residency, row.number)

    def _plan_ownership(
        self, row: Row, person: PendingWrite, part: PendingWrite, error
    ):
        existing = None
        if not person.new and not part.new:
            existing = self.register.ownerships.get((person.obj.pk, part.obj.pk))
        ownership = self._track(
            "ownership",
            ("pk", existing.pk) if existing else (id(person), id(part)),
            existing
            or Ownership(
                part=part.obj,
                person=person.obj,
                basis=row.basis or Ownership.Basis.REGISTERED,
            ),
            row,
            new=existing is None,
        )
        if row.basis:
            ownership.state("basis", row.basis, row.number)
        ownership.state("nominated_voter", bool(row.nominated_voter), row.number)
        if row.nominated_voter:
            earlier = self.voters.get(id(part))
            if earlier is not None:
                error(
                    "nominated_voter",
                    _(
                        "同一房屋只能有一位共有人表决人（第 %(row)d 行已是）。 "
                        "One nominated voter per dwelling (row %(row)d is one)."
                    )
                    % {"row": earlier[2]},
                )
            else:
                self.voters[id(part)] = (part, ownership, row.number)

    def _check_representatives(self) -> None:
        for household, residency, number in self.reps.values():
            if household.new:
                continue
            for other in self.register.current_reps.get(household.obj.pk, []):
                if other.pk == residency.obj.pk:
                    continue
                listed = self.pending["residency"].get(("pk", other.pk))
                if listed is None or listed.obj.is_representative:
                    self.errors.append(
                        RowError(
                            number,
                            BY_KEY["representative"].header,
                            _(
                                "该户已有另一位户代表（未在本文件中取消），请在文件中"
                                "将其标为“否”或先在后台修改。 The household already "
                                "has another representative: mark them 否 in the "
                                "file or change it in the admin first."
                            ),
                        )
                    )

    def _check_voters(self) -> None:
        for part, ownership, number in self.voters.values():
            if part.new:
                continue
            for other in self.register.current_voters.get(part.obj.pk, []):
                if other.pk == ownership.obj.pk:
                    continue
                listed = self.pending["ownership"].get(("pk", other.pk))
                if listed is None or listed.obj.nominated_voter:
                    self.errors.append(
                        RowError(
                            number,
                            BY_KEY["nominated_voter"].header,
                            _(
                                "该房屋已有另一位共有人表决人，请在文件中将其标为"
                                "“否”或先在后台修改。 The dwelling already has "
                                "another nominated voter: mark them 否 in the file "
                                "or change it in the admin first."
                            ),
                        )
                    )

    # -- results

    def counts(self) -> dict[str, dict[str, int]]:
        return write_counts(self.pending)

    def apply(self, progress) -> None:
        writes_apply(self.pending, progress)
