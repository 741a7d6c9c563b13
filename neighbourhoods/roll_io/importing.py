"""Roll import: validate every row, plan every change in memory, then write in one go.

The planner loads what the community already has, walks the rows and decides for each
record whether it is new, changed (which fields) or unchanged. Nothing is written while
planning, so a dry run is the same code without `apply`. A real import plans again
inside one transaction (with the community row locked), and writes only when no row has
an error.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.db import models as dj_models
from django.db.models import Q
from django.utils.translation import gettext as _

from yishi.privacy import id_number_hash

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
from .parsing import (
    MASKED_ID_RE,
    CellError,
    cell_text,
    check_length,
    echo,
    is_masked,
    parse_area,
    parse_bool,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_phone,
)
from .reading import SourceRow
from .report import ENTITY_LABELS, RowError

logger = logging.getLogger(__name__)

AREA_KEYS = ("area_register", "area_survey", "area_contract")
_LOCATION_KEYS = frozenset({"compound", "building", "entrance", "part_number"})

PART_KINDS = {
    "住宅": ExclusivePart.Kind.DWELLING,
    "dwelling": ExclusivePart.Kind.DWELLING,
    "车位": ExclusivePart.Kind.PARKING,
    "parking": ExclusivePart.Kind.PARKING,
    "商业用房": ExclusivePart.Kind.COMMERCIAL,
    "商业": ExclusivePart.Kind.COMMERCIAL,
    "商铺": ExclusivePart.Kind.COMMERCIAL,
    "commercial": ExclusivePart.Kind.COMMERCIAL,
}
RESIDENCE_KINDS = {
    "户籍": Residency.Kind.REGISTERED,
    "户籍居民": Residency.Kind.REGISTERED,
    "registered": Residency.Kind.REGISTERED,
    "常住": Residency.Kind.HABITUAL,
    "常住居民": Residency.Kind.HABITUAL,
    "habitual": Residency.Kind.HABITUAL,
}
BASES = {
    "已登记": Ownership.Basis.REGISTERED,
    "登记": Ownership.Basis.REGISTERED,
    "registered": Ownership.Basis.REGISTERED,
    "合同占有未登记": Ownership.Basis.CONTRACT_OCCUPIED,
    "合同占有": Ownership.Basis.CONTRACT_OCCUPIED,
    "contract_occupied": Ownership.Basis.CONTRACT_OCCUPIED,
}

_LIMITS = {
    "full_name": 50,
    "compound": 100,
    "building": 20,
    "entrance": 20,
    "part_number": 30,
    "household": 30,
    "residents_group": 100,
}


@dataclass
class Row:
    """One data row, parsed. The ID number is not kept: only its hash and tail."""

    number: int
    labels: dict[str, str]
    failed: bool = False
    failed_keys: set[str] = field(default_factory=set)
    full_name: str = ""
    id_hash: str | None = None
    id_last4: str = ""
    id_born: dt.date | None = None
    masked_last4: str | None = None
    birth_date: dt.date | None = None
    phone: str | None = None
    compound: str = ""
    building: str = ""
    entrance: str = ""
    part_number: str = ""
    part_kind: str | None = None
    areas: dict[str, int] = field(default_factory=dict)
    household: str = ""
    residents_group: str = ""
    residence_kind: str | None = None
    representative: bool | None = None
    owner: bool | None = None
    basis: str | None = None
    nominated_voter: bool | None = None

    @property
    def has_part(self) -> bool:
        return bool(self.compound or self.building or self.entrance or self.part_number)


class _RowErrors:
    def __init__(self, errors: list[RowError], row: Row):
        self.errors, self.row = errors, row

    def __call__(self, key: str, message: str) -> None:
        label = self.row.labels.get(key) or BY_KEY[key].header
        self.errors.append(RowError(self.row.number, label, message))
        self.row.failed = True
        self.row.failed_keys.add(key)


def _strip_suffix(text: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)].strip()
    return text


def parse_row(
    source: SourceRow, labels: dict[str, str], *, today: dt.date, errors: list
) -> Row:
    row = Row(number=source.number, labels=labels)
    error = _RowErrors(errors, row)
    texts: dict[str, str] = {}
    numeric: dict[str, bool] = {}
    for key, value in source.cells.items():
        try:
            texts[key], numeric[key] = cell_text(value, key)
        except CellError as exc:
            error(key, str(exc))
    text = lambda key: texts.get(key, "")  # noqa: E731

    def parse(key, parser, *args, **kwargs):
        if not text(key):
            return None
        try:
            return parser(text(key), *args, **kwargs)
        except CellError as exc:
            error(key, str(exc))
            return None

    for key, limit in _LIMITS.items():
        if parse(key, check_length, limit) is not None:
            setattr(row, key, text(key))
    if not text("full_name"):
        error("full_name", _("姓名不能为空。 The name is missing."))

    id_text = text("id_number").upper()
    masked = MASKED_ID_RE.match(id_text)
    if masked:
        row.masked_last4 = masked.group(1)
    elif id_text:
        parsed = parse("id_number", parse_id_number)
        if parsed is not None:
            row.id_hash, row.id_last4 = id_number_hash(parsed[0]), parsed[0][-4:]
            row.id_born = parsed[1]
            if row.id_born > today:
                error(
                    "id_number",
                    _(
                        "身份证号中的出生日期晚于今天。 "
                        "The birth date inside the ID number is in the future."
                    ),
                )
    del id_text
    row.birth_date = parse("birth_date", parse_date, today=today)
    if row.birth_date and row.id_born and row.birth_date != row.id_born:
        error(
            "birth_date",
            _(
                "出生日期与身份证号中的出生日期不一致。 "
                "The birth date differs from the one inside the ID number."
            ),
        )
    if text("phone") and not is_masked(text("phone")):
        row.phone = parse("phone", parse_phone, was_number=numeric.get("phone", False))

    kinds = "住宅、车位、商业用房"
    row.part_kind = parse("part_kind", parse_choice, PART_KINDS, kinds)
    for key in AREA_KEYS:
        area = parse(key, parse_area)
        if area is not None:
            row.areas[key] = area
    row.residence_kind = parse(
        "residence_kind", parse_choice, RESIDENCE_KINDS, "户籍、常住"
    )
    row.basis = parse("ownership_basis", parse_choice, BASES, "已登记、合同占有未登记")
    for key in ("representative", "owner", "nominated_voter"):
        setattr(row, key, parse(key, parse_bool))

    row.entrance = _strip_suffix(row.entrance, ("单元",))
    row.part_number = _strip_suffix(row.part_number, ("室",))
    _check_row_shape(row, text, error)
    return row


def _check_row_shape(row: Row, text, error) -> None:
    """Cross-column rules of a single row."""
    if not row.part_number and (row.part_kind or row.areas or row.has_part):
        error(
            "part_number",
            _("填写了房屋信息但没有房号。 Dwelling details given without 房号."),
        )
    if not row.household:
        for key in ("residence_kind", "residents_group"):
            if text(key):
                error(key, _("没有填写户号。 No 户号 (household number) given."))
        if row.representative:
            error("representative", _("没有填写户号。 No 户号 (household number)."))
    elif row.residence_kind is None and not text("residence_kind"):
        error(
            "residence_kind",
            _(
                "填写了户号时须填写居住类型（户籍/常住）。 "
                "居住类型 (户籍 or 常住) is required with a 户号."
            ),
        )
    if not row.owner:
        if row.nominated_voter:
            error(
                "nominated_voter",
                _("共有人表决人须是产权人。 A nominated voter must be an owner."),
            )
        if row.basis:
            error(
                "ownership_basis",
                _("只有产权人才填写产权依据。 产权依据 is for owners only."),
            )
    elif not row.part_number:
        error(
            "owner",
            _(
                "产权人须填写所有的房屋（小区、楼栋、房号）。 "
                "An owner needs the dwelling: 小区, 楼栋, 房号."
            ),
        )
    if (
        not row.id_hash
        and not row.masked_last4
        and not text("id_number")
        and "id_number" not in row.failed_keys
        and not row.household
        and not (row.owner and row.part_number)
    ):
        error(
            "id_number",
            _(
                "没有身份证号时须填写户号（或其产权房屋），以便识别该居民。 "
                "Without an ID number, give a 户号 (or the owned dwelling) to "
                "identify the person."
            ),
        )


@dataclass(eq=False)
class Tracked:
    """A record the import touches: existing or new, and the fields it changes."""

    obj: dj_models.Model
    new: bool
    row: int
    changed: set[str] = field(default_factory=set)
    stated: dict[str, tuple[object, int]] = field(default_factory=dict)

    def state(self, name: str, value, row: int, *, fk: bool = False) -> int | None:
        """Set a field the file states; return the row of an earlier, different one."""
        marker = id(value) if fk else value
        if name in self.stated and self.stated[name][0] != marker:
            return self.stated[name][1]
        self.stated.setdefault(name, (marker, row))
        if fk:
            target = value.obj
            current = getattr(self.obj, f"{name}_id")
            if target.pk is None or current != target.pk:
                setattr(self.obj, name, target)
                self._changed(name)
        elif getattr(self.obj, name) != value:
            setattr(self.obj, name, value)
            self._changed(name)
        return None

    def _changed(self, name: str) -> None:
        if not self.new:
            self.changed.add(name)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Planner:
    """Decides, without writing, what importing `rows` into `community` would do."""

    def __init__(self, community: Community, errors: list[RowError]):
        self.community = community
        self.errors = errors
        self.tracked: dict[str, dict] = {key: {} for key in ENTITY_LABELS}
        self._memo: dict[tuple, object] = {}
        self._load()

    # -- loading

    def _load(self) -> None:
        c = self.community
        self.compounds = list(c.compounds.all())
        self.buildings = {
            (b.compound_id, b.number): b
            for b in Building.objects.filter(compound__in=self.compounds)
        }
        self.entrances = {
            (e.building_id, e.number): e
            for e in Entrance.objects.filter(building__community=c)
        }
        self.parts = {
            (p.building_id, p.entrance.number if p.entrance_id else "", p.number): p
            for p in ExclusivePart.objects.filter(building__community=c).select_related(
                "entrance"
            )
        }
        self.households = {h.number: h for h in Household.objects.filter(community=c)}
        self.groups = list(ResidentsGroup.objects.filter(community=c))
        self.people: dict[int, Person] = {}
        self.residencies: dict[tuple[int, int], Residency] = {}
        self.by_household_name: dict[tuple[int, str], list[Person]] = {}
        self.current_reps: dict[int, list[Residency]] = {}
        for residency in Residency.objects.filter(
            household__community=c
        ).select_related("person"):
            person = self.people.setdefault(residency.person_id, residency.person)
            self.residencies[residency.person_id, residency.household_id] = residency
            if person.home_community_id == c.pk:
                key = (residency.household_id, person.full_name)
                self.by_household_name.setdefault(key, []).append(person)
            if residency.is_representative and residency.end_date is None:
                self.current_reps.setdefault(residency.household_id, []).append(
                    residency
                )
        self.ownerships: dict[tuple[int, int], Ownership] = {}
        self.by_part_name: dict[tuple[int, str], list[Person]] = {}
        self.current_voters: dict[int, list[Ownership]] = {}
        for ownership in Ownership.objects.filter(
            part__building__community=c, end_date__isnull=True, person__isnull=False
        ).select_related("person"):
            person = self.people.setdefault(ownership.person_id, ownership.person)
            self.ownerships[ownership.person_id, ownership.part_id] = ownership
            if person.home_community_id == c.pk:
                key = (ownership.part_id, person.full_name)
                self.by_part_name.setdefault(key, []).append(person)
            if ownership.nominated_voter:
                self.current_voters.setdefault(ownership.part_id, []).append(ownership)

    def _load_hashes(self, rows: list[Row]) -> None:
        hashes = sorted({row.id_hash for row in rows if row.id_hash})
        self.by_hash: dict[str, Person] = {}
        for chunk in _chunks(hashes):
            for person in Person.objects.filter(id_number_hash__in=chunk):
                person = self.people.setdefault(person.pk, person)
                self.by_hash[person.id_number_hash] = person

    # -- planning

    def plan(self, rows: list[Row], progress) -> None:
        self._load_hashes(rows)
        self._check_identities(rows)
        self.reps: dict[int, tuple[Tracked, Tracked, int]] = {}
        self.voters: dict[int, tuple[Tracked, Tracked, int]] = {}
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
            error = _RowErrors(self.errors, row)
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
            person = self.by_hash.get(row.id_hash)
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
        error = _RowErrors(self.errors, row)
        failed_before = row.failed
        part = household = None
        if row.part_number and not row.failed_keys & _LOCATION_KEYS:
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

    def _track(self, kind: str, key, obj, row: Row, *, new: bool) -> Tracked:
        tracked = self.tracked[kind].get(key)
        if tracked is None:
            tracked = self.tracked[kind][key] = Tracked(
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
            if len(self.compounds) == 1:
                return self.compounds[0]
            error("compound", _("请填写小区。 The 小区 (compound) is missing."))
            return None
        for compound in self.compounds:
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
        building = self.buildings.get((compound.pk, number)) or self.buildings.get(
            (compound.pk, _strip_suffix(number, ("号楼", "栋", "幢", "号")))
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

    def _plan_part(self, row: Row, error) -> Tracked | None:
        compound = self._compound(row, error)
        building = self._building(row, compound, error) if compound else None
        if building is None:
            return None
        entrance = None
        if row.entrance:
            key = (building.pk, row.entrance)
            existing = self.entrances.get(key)
            entrance = self._track(
                "entrance",
                key,
                existing or Entrance(building=building, number=row.entrance),
                row,
                new=existing is None,
            )
        key = (building.pk, row.entrance, row.part_number)
        existing = self.parts.get(key)
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
        for group in self.groups:
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

    def _plan_household(self, row: Row, part: Tracked | None, error) -> Tracked:
        existing = self.households.get(row.household)
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
                earlier = self._state_group(household, group, row.number)
                self._conflict(error, "residents_group", earlier, household=True)
        if part is not None and part.obj.kind == ExclusivePart.Kind.DWELLING:
            earlier = household.state("dwelling", part, row.number, fk=True)
            self._conflict(error, "part_number", earlier, household=True)
        return household

    def _state_group(self, household: Tracked, group: ResidentsGroup, row: int):
        key = ("group", group.pk)
        wrapper = self._memo.setdefault(key, Tracked(obj=group, new=False, row=row))
        return household.state("residents_group", wrapper, row, fk=True)

    def _match_existing(self, row: Row, household, part) -> list[Person]:
        """Fallback identity when the row has no usable ID number: 户号 + name, or
        the owned dwelling + name, among this community's people."""
        found: list[Person] = []
        if household is not None and not household.new:
            found = self.by_household_name.get((household.obj.pk, row.full_name), [])
        if not found and row.owner and part is not None and not part.new:
            found = self.by_part_name.get((part.obj.pk, row.full_name), [])
        return found

    def _plan_person(self, row: Row, household, part, error) -> Tracked | None:
        person = self.by_hash.get(row.id_hash) if row.id_hash else None
        if person is None:
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
            person = candidates[0] if candidates else None
        if person is not None:
            key = ("pk", person.pk)
        elif row.id_hash:
            key = ("hash", row.id_hash)
        else:
            key = ("new", row.household, row.part_number, row.full_name)
        claimed = self.tracked["person"].get(key)
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

    def _plan_residency(self, row: Row, person: Tracked, household: Tracked, error):
        existing = None
        if not person.new and not household.new:
            existing = self.residencies.get((person.obj.pk, household.obj.pk))
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

    def _plan_ownership(self, row: Row, person: Tracked, part: Tracked, error):
        existing = None
        if not person.new and not part.new:
            existing = self.ownerships.get((person.obj.pk, part.obj.pk))
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
            for other in self.current_reps.get(household.obj.pk, []):
                if other.pk == residency.obj.pk:
                    continue
                listed = self.tracked["residency"].get(("pk", other.pk))
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
            for other in self.current_voters.get(part.obj.pk, []):
                if other.pk == ownership.obj.pk:
                    continue
                listed = self.tracked["ownership"].get(("pk", other.pk))
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
        result = {}
        for kind, items in self.tracked.items():
            values = list(items.values())
            result[kind] = {
                "create": sum(1 for t in values if t.new),
                "update": sum(1 for t in values if not t.new and t.changed),
                "unchanged": sum(1 for t in values if not t.new and not t.changed),
            }
        return result

    def writes(self) -> list[Tracked]:
        """Records to save, parents first; flags that lose their holder before those
        that gain one, so the one-representative constraints hold at every statement.
        """
        ordered: list[Tracked] = []
        for kind, flag in (
            ("entrance", None),
            ("part", None),
            ("person", None),
            ("household", None),
            ("residency", "is_representative"),
            ("ownership", "nominated_voter"),
        ):
            items = [t for t in self.tracked[kind].values() if t.new or t.changed]
            if flag:
                items.sort(key=lambda t: (t.new, bool(getattr(t.obj, flag))))
            ordered.extend(items)
        return ordered

    def apply(self, progress) -> None:
        for tracked in self.writes():
            if tracked.new:
                tracked.obj.save(force_insert=True)
            else:
                tracked.obj.save(update_fields=sorted(tracked.changed))
            progress.update(1)
