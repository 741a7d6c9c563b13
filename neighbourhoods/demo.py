"""The demo community that `manage.py seed_demo` loads (and `make run` shows).

炳草岗街道 in 攀枝花市东区 with two communities (阳光社区, 金沙社区) and three
compounds: 阳光花园 (2008) and 金沙苑 (2021) each in one community, and 炳草岗新村,
six-storey 1990s housing without lifts, spanning both. About 600 exclusive parts
(dwellings, parking spaces, shops; some held undelivered by the developer, some with
only a surveyed or contract area, SPI Art. 8), about 900 people in households with one
representative each, co-owners with one nominated voter, tenants, children and the
elderly, the community bodies with members, three 两代表一委员 and the demo logins.
Codes and addresses are illustrative, not the real ones.

Two steps:
- `build_plan()` makes every row in memory from `random.Random(SEED)`. It never looks
  at the clock or iterates a set, so every process on every day gets the same plan.
- `seed_demo()` writes the plan check-first by natural keys (codes, slugs, building
  and room numbers, household numbers, the ID-number hash): rows that exist are left
  as they are (an editor's later changes survive), missing rows are created. A second
  run therefore creates and changes nothing, with one exception: the demo logins'
  passwords and flags are set back to the printed ones, so the printed table is
  always true.

ID numbers exist only inside the plan; the database gets the keyed hash and the last
four characters (`yishi.privacy`), and nothing here prints them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from yishi.privacy import id_number_check_digit, id_number_hash

from .models import (
    Body,
    Building,
    Community,
    Compound,
    Developer,
    Entrance,
    ExclusivePart,
    Grid,
    Household,
    Membership,
    Ownership,
    Person,
    Representative,
    Residency,
    ResidentsGroup,
    StaffAssignment,
    Subdistrict,
)

SEED = 20260101
DEMO_PASSWORD = "yishi-demo-2026"
DEMO_URL = "http://127.0.0.1:8000/"
# Ages, purchase and move-in dates count from this fixed day, never from today:
# a run next year must write the same rows as a run today.
REFERENCE_DATE = dt.date(2026, 1, 1)
TERM_START = dt.date(2024, 1, 1)
TERM_END = dt.date(2028, 12, 31)
# A fixed salt makes the demo password's hash identical on every run, so a second run
# changes nothing. Only for this printed, public demo password.
_PASSWORD_SALT = "yishidemo2026"

Kind = ExclusivePart.Kind
Basis = Ownership.Basis
Role = Membership.Role
BodyKind = Body.Kind
RepKind = Representative.Kind

# ---- Names (deterministic draws from these lists) ----

_SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31),
    ("黄", 22), ("赵", 20), ("吴", 18), ("周", 17), ("徐", 13), ("孙", 13),
    ("马", 12), ("朱", 11), ("胡", 11), ("郭", 11), ("何", 12), ("罗", 11),
    ("高", 9), ("林", 8), ("郑", 8), ("梁", 7), ("谢", 7), ("唐", 8),
    ("宋", 6), ("许", 6), ("邓", 8), ("冯", 6), ("韩", 6), ("曹", 5),
    ("曾", 7), ("彭", 6), ("肖", 5), ("蔡", 4), ("潘", 4), ("田", 4),
    ("董", 4), ("袁", 5), ("于", 4), ("余", 5), ("叶", 3), ("蒋", 4),
    ("杜", 4), ("苏", 3), ("魏", 3), ("程", 3), ("吕", 3), ("丁", 3),
    ("沈", 3), ("任", 4), ("姚", 3), ("卢", 3), ("钟", 3), ("姜", 3),
    ("崔", 2), ("谭", 4), ("廖", 4), ("范", 2), ("汪", 2), ("陆", 2),
    ("金", 2), ("石", 2), ("戴", 2), ("贾", 2), ("韦", 2), ("夏", 2),
    ("邱", 2), ("方", 2), ("侯", 2), ("邹", 2), ("熊", 3), ("秦", 2),
    ("白", 2), ("毛", 2), ("江", 2), ("薛", 2), ("尹", 2), ("付", 3),
    ("段", 2), ("雷", 2), ("黎", 2), ("龙", 2), ("向", 3), ("冉", 2),
)  # fmt: skip
_SURNAME_LIST = tuple(name for name, _ in _SURNAMES)
_SURNAME_CUM = tuple(itertools.accumulate(weight for _, weight in _SURNAMES))

# Given names by birth cohort: (born before, male names, female names).
_GIVEN_NAMES = (
    (
        1960,
        "建国 建华 国强 德明 志强 永福 树林 长福 文华 玉林 光明 德才 家明 正清 明华 "
        "国庆 学军 卫东 跃进 振华 福生 少华 洪涛 世明 朝阳 庆林 大富 新民",
        "秀英 桂兰 玉兰 淑珍 秀兰 凤英 桂英 素芬 秀珍 玉珍 翠花 桂芳 淑华 金凤 "
        "秀芳 美华 兰英 玉芬 素华 凤兰 琼 惠芳 春兰 德珍 素清 群英",
    ),
    (
        1980,
        "伟 军 勇 强 斌 刚 涛 华 明 平 建军 志刚 红军 晓东 海涛 卫国 建平 小平 "
        "文军 永刚 国华 俊 峰 彬 宏 健 勇军 晓峰 继红",
        "丽 红 燕 霞 娟 敏 芳 静 丽华 红梅 晓燕 春梅 小红 海燕 丽萍 玉梅 英 "
        "桂香 晓红 利 琴 萍 艳 小琴 丽君 春燕 蓉",
    ),
    (
        2000,
        "磊 鹏 超 浩 杰 鑫 宇 俊杰 波 辉 林 帅 晨 鹏飞 志伟 小龙 家豪 文博 "
        "勇 浩宇 明轩 思远 峻 凯 翔 亮 川 昊",
        "婷 雪 倩 丹 琳 颖 佳 慧 婷婷 雪梅 晓丽 佳琪 欣 莉 思思 梦 璐 薇 "
        "洁 丹丹 娇 玲 茜 月 露 媛 蕾",
    ),
    (
        9999,
        "浩然 子轩 宇轩 梓豪 俊熙 一鸣 子墨 浩宇 铭泽 皓轩 睿 博文 思远 天佑 "
        "梓睿 宇航 奕辰 锦程 沐阳 晨阳 嘉树",
        "梓涵 子涵 欣怡 雨桐 诗涵 可馨 一诺 梓萱 语嫣 若汐 思彤 佳怡 雨萱 "
        "欣妍 沐晴 芷若 紫萱 安琪 语桐",
    ),
)
_GIVEN = tuple(
    (year, tuple(male.split()), tuple(female.split()))
    for year, male, female in _GIVEN_NAMES
)

# Where people were born (GB/T 2260 in the ID number): Panzhihua was built from the
# 1960s by people from all over the country, so the older cohorts come from further.
_LOCAL_REGIONS = (
    ("510402", 60), ("510403", 10), ("510411", 12), ("510421", 9), ("510422", 9),
)  # fmt: skip
_FAR_REGIONS = (
    ("510104", 6), ("510302", 3), ("511102", 4), ("513401", 6), ("511302", 3),
    ("500103", 5), ("210302", 5), ("530102", 4), ("420106", 2), ("430102", 2),
    ("410102", 2), ("370102", 1), ("320102", 1), ("610102", 2),
)  # fmt: skip
_PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "177", "180",
    "181", "182", "183", "185", "186", "187", "188", "189", "191", "199",
)  # fmt: skip

# ---- The place ----

SUBDISTRICT_CODE = "510402001"
SUBDISTRICT_NAME = "炳草岗街道"
YG, JS = "510402001001", "510402001002"


@dataclass(frozen=True)
class CommunitySpec:
    code: str
    name: str
    slug: str
    urban_rural_code: str = "111"  # 主城区


@dataclass(frozen=True)
class CompoundSpec:
    slug: str
    name: str
    abbr: str
    address: str
    developer_name: str
    communities: tuple[str, ...]
    parcel: int  # 宗地 sequence in the illustrative 不动产单元代码
    # (first purchase year, last purchase year): 房改房 for the old compound
    purchase_years: tuple[int, int]


@dataclass(frozen=True)
class BuildingSpec:
    compound: str
    number: str
    community: str
    entrances: int
    floors: int
    flat_areas: tuple[int, int]  # the two flats on a landing, 0.01 m²
    group: int  # residents' group number within the community
    grid: str


COMMUNITIES = (
    CommunitySpec(YG, "阳光社区", "yangguang"),
    CommunitySpec(JS, "金沙社区", "jinsha"),
)
XINCUN, YANGGUANG, JINSHA = "bingcaogang-xincun", "yangguang-huayuan", "jinsha-yuan"
COMPOUNDS = (
    CompoundSpec(
        XINCUN,
        "炳草岗新村",
        "XC",
        "攀枝花市东区炳草岗大街88号",
        "攀钢集团房地产开发公司",
        (YG, JS),
        12,
        (1998, 2004),
    ),
    CompoundSpec(
        YANGGUANG,
        "阳光花园",
        "YG",
        "攀枝花市东区人民街166号",
        "攀枝花阳光房地产开发有限公司",
        (YG,),
        27,
        (2008, 2019),
    ),
    CompoundSpec(
        JINSHA,
        "金沙苑",
        "JS",
        "攀枝花市东区攀枝花大道东段299号",
        "攀枝花金沙置业有限公司",
        (JS,),
        31,
        (2021, 2025),
    ),
)
_COMPOUNDS = {c.slug: c for c in COMPOUNDS}
GRID_1, GRID_2 = "第一网格", "第二网格"
BUILDINGS = (
    BuildingSpec(XINCUN, "1", YG, 3, 6, (6248, 7136), 1, GRID_1),
    BuildingSpec(XINCUN, "2", YG, 2, 6, (6315, 6890), 1, GRID_1),
    BuildingSpec(XINCUN, "3", JS, 3, 6, (6248, 7136), 1, GRID_1),
    BuildingSpec(XINCUN, "4", JS, 2, 6, (6530, 7420), 1, GRID_1),
    BuildingSpec(YANGGUANG, "1", YG, 2, 10, (8962, 11835), 2, GRID_1),
    BuildingSpec(YANGGUANG, "2", YG, 2, 10, (8962, 11835), 2, GRID_1),
    BuildingSpec(YANGGUANG, "3", YG, 2, 10, (9247, 12410), 3, GRID_2),
    BuildingSpec(YANGGUANG, "4", YG, 2, 10, (9247, 12410), 3, GRID_2),
    BuildingSpec(JINSHA, "1", JS, 2, 11, (9874, 12690), 2, GRID_1),
    BuildingSpec(JINSHA, "2", JS, 2, 11, (9874, 12690), 2, GRID_2),
    BuildingSpec(JINSHA, "3", JS, 2, 11, (10520, 13215), 3, GRID_2),
    BuildingSpec(JINSHA, "4", JS, 3, 8, (11255, 13620), 3, GRID_2),
)
GROUP_NAMES = {1: "第一居民小组", 2: "第二居民小组", 3: "第三居民小组"}
# Parking in the underground garages, and shops on the ground floor of building 1.
PARKING = {YANGGUANG: 60, JINSHA: 63}
PARTY_SHARE = 0.08  # of adult residents
SHOPS = {YANGGUANG: 6, JINSHA: 6}
# Developer-held parts (SPI Art. 9: together one owner): 金沙苑 is newly delivered
# and still has unsold and sold-but-undelivered units; 阳光花园's developer kept a few
# parking spaces.
DEVELOPER_HELD = {
    JINSHA: {Kind.DWELLING: 14, Kind.PARKING: 8, Kind.COMMERCIAL: 2},
    YANGGUANG: {Kind.PARKING: 6},
}
# Who lives in a dwelling: (owner lives there, let to tenants, empty).
# Panzhihua's population is shrinking: many flats stand empty.
OCCUPANCY = {XINCUN: (70, 16, 14), YANGGUANG: (72, 12, 16), JINSHA: (60, 12, 28)}
# Household shapes: (name, weight per compound XINCUN, YANGGUANG, JINSHA, tenants).
_SHAPES = (
    ("single_elder", 22, 9, 3, 0),
    ("elder_couple", 28, 18, 8, 0),
    ("couple", 8, 16, 22, 30),
    ("couple_child", 8, 20, 24, 20),
    ("couple_two_children", 2, 3, 8, 2),
    ("couple_adult_child", 8, 10, 5, 0),
    ("three_generations", 6, 8, 10, 0),
    ("single", 14, 12, 18, 43),
    ("single_parent", 4, 4, 2, 5),
)


# ---- The plan ----

PartKey = tuple[str, str, str | None, str]  # compound slug, building, entrance, room
HouseholdKey = tuple[str, str]  # community code, household number
BodyKey = tuple[str, str | None, str]  # community code, compound slug, body kind


@dataclass
class PartSpec:
    key: PartKey
    kind: str
    community: str
    area_register: int | None = None
    area_survey: int | None = None
    area_contract: int | None = None
    unit_code: str = ""
    developer_held: bool = False


@dataclass
class PersonSpec:
    id_number: str
    full_name: str
    sex: str  # "M" | "F"
    birth_date: dt.date
    phone: str
    community: str  # home community code
    # Not stored as such; used to choose people for roles.
    compound: str | None = None  # where they live; None for owners living elsewhere
    household: HouseholdKey | None = None
    tenant: bool = False
    party_member: bool = False

    @property
    def age(self) -> int:
        b, r = self.birth_date, REFERENCE_DATE
        return r.year - b.year - ((r.month, r.day) < (b.month, b.day))


@dataclass
class HouseholdSpec:
    key: HouseholdKey
    group: int
    dwelling: PartKey


@dataclass
class ResidencySpec:
    person: str  # ID number
    household: HouseholdKey
    kind: str
    is_representative: bool
    start_date: dt.date
    is_group_representative: bool = False


@dataclass
class OwnershipSpec:
    part: PartKey
    person: str | None  # ID number
    developer: str | None  # developer name
    basis: str
    nominated_voter: bool
    start_date: dt.date | None


@dataclass(frozen=True)
class BodySpec:
    key: BodyKey
    name: str


@dataclass(frozen=True)
class MembershipSpec:
    body: BodyKey
    person: str
    role: str
    term_start: dt.date | None
    term_end: dt.date | None


@dataclass(frozen=True)
class RepresentativeSpec:
    person: str
    kind: str
    level: str
    title: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class LoginSpec:
    username: str
    who_zh: str
    who_en: str
    person: str | None = None  # ID number of the linked Person
    superuser: bool = False
    staff_community: str | None = None  # community code: editor there
    staff_subdistrict: str | None = None  # subdistrict code: viewer there
    first_name: str = ""


@dataclass
class Plan:
    parts: list[PartSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    households: list[HouseholdSpec] = field(default_factory=list)
    residencies: list[ResidencySpec] = field(default_factory=list)
    ownerships: list[OwnershipSpec] = field(default_factory=list)
    bodies: list[BodySpec] = field(default_factory=list)
    memberships: list[MembershipSpec] = field(default_factory=list)
    representatives: list[RepresentativeSpec] = field(default_factory=list)
    grid_workers: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    logins: list[LoginSpec] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of the whole plan (the test compares it across processes)."""
        sha = hashlib.sha256()
        for name in (
            "parts",
            "people",
            "households",
            "residencies",
            "ownerships",
            "bodies",
            "memberships",
            "representatives",
            "grid_workers",
            "logins",
        ):
            sha.update(repr(getattr(self, name)).encode())
        return sha.hexdigest()


class _Planner:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.plan = Plan()
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.people: dict[str, PersonSpec] = {}
        self.owned: Counter[str] = Counter()  # parts per owner (ID number)
        self.taken: set[str] = set()  # people who already hold a seat

    # -- people --

    def _birth(self, age: int) -> dt.date:
        start = dt.date(REFERENCE_DATE.year - age - 1, REFERENCE_DATE.month, 2)
        return start + dt.timedelta(days=self.rng.randrange(365))

    def _id_number(self, birth: dt.date, sex: str) -> str:
        far = 45 if birth.year < 1965 else 15
        pool = _FAR_REGIONS if self.rng.randrange(100) < far else _LOCAL_REGIONS
        regions = [code for code, _ in pool]
        region = self.rng.choices(regions, [w for _, w in pool])[0]
        if birth.year >= 2000 and pool is _LOCAL_REGIONS:
            region = "510402"  # born here
        while True:
            # GB 11643: the sequence number is odd for men, even for women.
            seq = self.rng.randrange(500) * 2 + (1 if sex == "M" else 0)
            body = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = body + id_number_check_digit(body)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def _phone(self) -> str:
        while True:
            phone = (
                self.rng.choice(_PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            )
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def name(self, sex: str, birth_year: int, surname: str | None = None) -> str:
        surname = (
            surname or self.rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
        )
        for before, male, female in _GIVEN:
            if birth_year < before:
                return surname + self.rng.choice(male if sex == "M" else female)
        raise AssertionError("unreachable")

    def person(
        self,
        *,
        sex: str,
        age: int,
        community: str,
        surname: str | None = None,
        compound: str | None = None,
    ) -> PersonSpec:
        birth = self._birth(age)
        name = self.name(sex, birth.year, surname)
        id_number = self._id_number(birth, sex)
        has_phone = (age >= 18 and (age < 80 or self.rng.random() < 0.6)) or (
            14 <= age < 18 and self.rng.random() < 0.5
        )
        person = PersonSpec(
            id_number=id_number,
            full_name=name,
            sex=sex,
            birth_date=birth,
            phone=self._phone() if has_phone else "",
            community=community,
            compound=compound,
        )
        self.plan.people.append(person)
        self.people[id_number] = person
        return person

    def _other(self, sex: str) -> str:
        return "F" if sex == "M" else "M"

    def _spouse_age(self, age: int) -> int:
        return max(20, age + self.rng.randint(-5, 3))

    def members(self, shape: str, community: str, compound: str) -> list[PersonSpec]:
        """The people of one household, representative (户主) first."""
        rng = self.rng
        ages = {
            "single_elder": (65, 90),
            "elder_couple": (60, 86),
            "couple": (24, 59),
            "couple_child": (27, 48),
            "couple_two_children": (30, 46),
            "couple_adult_child": (44, 64),
            "three_generations": (31, 50),
            "single": (22, 59),
            "single_parent": (28, 50),
        }[shape]
        head_age = rng.randint(*ages)
        head_sex = "M" if rng.random() < (0.45 if "single" in shape else 0.7) else "F"
        new = self.person
        head = new(sex=head_sex, age=head_age, community=community, compound=compound)
        people = [head]
        father = head if head_sex == "M" else None
        if "couple" in shape or shape == "three_generations":
            spouse = new(
                sex=self._other(head_sex),
                age=self._spouse_age(head_age),
                community=community,
                compound=compound,
            )
            people.append(spouse)
            father = father or spouse
        children = {"couple_child": 1, "couple_two_children": 2, "single_parent": 1}
        # Both parents were at least 22 and the mother at most 45 at a child's birth.
        parent_ages = [p.age for p in people]
        for n in range(children.get(shape, 0) + (shape == "three_generations")):
            low = max(0, max(parent_ages) - 45)
            high = min(17, min(parent_ages) - 22)
            child_age = rng.randint(low, high) if n == 0 else rng.randint(0, high)
            surname = father.full_name[0] if father else None
            people.append(
                new(
                    sex=rng.choice("MF"),
                    age=child_age,
                    community=community,
                    compound=compound,
                    surname=surname,
                )
            )
        if shape == "couple_adult_child":
            people.append(
                new(
                    sex=rng.choice("MF"),
                    age=rng.randint(18, min(32, head_age - 20)),
                    community=community,
                    compound=compound,
                    surname=father.full_name[0] if father else None,
                )
            )
        if shape == "three_generations":
            elder_sex = rng.choice("MF")
            people.append(
                new(
                    sex=elder_sex,
                    age=min(95, head_age + rng.randint(24, 34)),
                    community=community,
                    compound=compound,
                    # The head's father carries the head's surname.
                    surname=head.full_name[0]
                    if elder_sex == "M" and head_sex == "M"
                    else None,
                )
            )
        return people

    # -- places and parts --

    def parts(self) -> None:
        counters: Counter[str] = Counter()
        for building in BUILDINGS:
            compound = _COMPOUNDS[building.compound]
            variation = self.rng.randint(-120, 120)
            for entrance in range(1, building.entrances + 1):
                for floor in range(1, building.floors + 1):
                    for flat, base in enumerate(building.flat_areas, start=1):
                        area = base + variation + self.rng.randint(-30, 30)
                        self.plan.parts.append(
                            PartSpec(
                                key=(
                                    compound.slug,
                                    building.number,
                                    str(entrance),
                                    f"{floor}{flat:02d}",
                                ),
                                kind=Kind.DWELLING,
                                community=building.community,
                                area_register=area,
                            )
                        )
            buildings = [b for b in BUILDINGS if b.compound == compound.slug]
            if building is buildings[-1]:
                self._garage_and_shops(compound, buildings)
        for part in self.plan.parts:
            compound = _COMPOUNDS[part.key[0]]
            if part.area_register is not None:
                counters[part.key[0] + part.key[1]] += 1
                # GB/T 37346 layout (illustrative): county, cadastral zone and
                # subzone, "GB", parcel, "F", building, unit.
                part.unit_code = (
                    f"510402{SUBDISTRICT_CODE[-3:]}{part.community[-3:]}GB"
                    f"{compound.parcel:05d}F{int(part.key[1]):04d}"
                    f"{counters[part.key[0] + part.key[1]]:04d}"
                )

    def _garage_and_shops(self, compound: CompoundSpec, buildings: list) -> None:
        slug = compound.slug
        spaces = PARKING.get(slug, 0)
        per_building = -(-spaces // len(buildings))
        for n in range(spaces):
            building = buildings[n // per_building]
            self.plan.parts.append(
                PartSpec(
                    key=(slug, building.number, None, f"B1-{n + 1:03d}"),
                    kind=Kind.PARKING,
                    community=building.community,
                    area_register=self.rng.randint(1200, 1500),
                )
            )
        for n in range(SHOPS.get(slug, 0)):
            self.plan.parts.append(
                PartSpec(
                    key=(slug, buildings[0].number, None, f"S{n + 1:02d}"),
                    kind=Kind.COMMERCIAL,
                    community=buildings[0].community,
                    area_register=self.rng.randint(45, 120) * 100
                    + self.rng.randrange(100),
                )
            )

    def area_sources(self) -> None:
        """Developer-held parts and SPI Art. 8 sources: register, survey, contract."""
        rng = self.rng
        for slug, kinds in DEVELOPER_HELD.items():
            for kind, count in kinds.items():
                pool = [
                    p for p in self.plan.parts if p.key[0] == slug and p.kind == kind
                ]
                for part in rng.sample(pool, count):
                    part.developer_held = True
        for part in self.plan.parts:
            slug = part.key[0]
            area = part.area_register
            assert area is not None
            contract = area + rng.randint(-60, 60)
            if part.developer_held:
                # Unsold: surveyed only; sold but not yet delivered: contract only.
                part.area_register = None
                if rng.random() < 0.5:
                    part.area_survey = area
                else:
                    part.area_contract = contract
            elif slug == XINCUN:
                pass  # 房改房: registered long ago, no developer's sale contract
            elif slug == JINSHA and rng.random() < 0.3:
                # Delivered, not yet registered: survey and contract areas.
                part.area_register, part.area_survey = None, area
                part.area_contract = contract
            elif part.kind == Kind.PARKING and rng.random() < 0.4:
                # Parking sold by contract only, never registered.
                part.area_register, part.area_contract = None, contract
            else:
                part.area_contract = contract

    # -- households and owners --

    def purchase_date(self, slug: str, owners: list[PersonSpec]) -> dt.date:
        """When the owners bought: in the compound's sales years, or later, second
        hand, if they were not yet 20 then."""
        first, last = _COMPOUNDS[slug].purchase_years
        start = dt.date(first, 1, 1)
        end = dt.date(last, 12, 31)
        youngest = max(owner.birth_date for owner in owners)
        grown_up = dt.date(youngest.year + 20, youngest.month, min(youngest.day, 28))
        if grown_up > start:
            start, end = grown_up, max(end, REFERENCE_DATE - dt.timedelta(days=30))
        return start + dt.timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    def own(self, part: PartSpec, owners: list[PersonSpec]) -> dt.date:
        """Record the owners of a part; returns the purchase date."""
        since = self.purchase_date(part.key[0], owners)
        basis = Basis.REGISTERED if part.area_register else Basis.CONTRACT_OCCUPIED
        for n, owner in enumerate(owners):
            self.plan.ownerships.append(
                OwnershipSpec(
                    part=part.key,
                    person=owner.id_number,
                    developer=None,
                    basis=basis,
                    nominated_voter=len(owners) > 1 and n == 0,
                    start_date=since,
                )
            )
            self.owned[owner.id_number] += 1
        return since

    def household(
        self,
        part: PartSpec,
        people: list[PersonSpec],
        *,
        kind: str,
        since: dt.date,
        tenant: bool,
    ) -> HouseholdSpec:
        slug, building, entrance, room = part.key
        compound = _COMPOUNDS[slug]
        spec = next(b for b in BUILDINGS if (b.compound, b.number) == (slug, building))
        household = HouseholdSpec(
            key=(part.community, f"{compound.abbr}{building}-{entrance}-{room}"),
            group=spec.group,
            dwelling=part.key,
        )
        self.plan.households.append(household)
        for n, person in enumerate(people):
            person.household = household.key
            person.tenant = tenant
            self.plan.residencies.append(
                ResidencySpec(
                    person=person.id_number,
                    household=household.key,
                    kind=kind,
                    is_representative=n == 0,
                    start_date=max(since, person.birth_date),
                )
            )
        return household

    def occupy(self) -> None:
        rng = self.rng
        shapes = [s[0] for s in _SHAPES]
        column = {XINCUN: 1, YANGGUANG: 2, JINSHA: 3}
        dwellings = [
            p
            for p in self.plan.parts
            if p.kind == Kind.DWELLING and not p.developer_held
        ]
        owner_heads: list[PersonSpec] = []
        let_or_empty: list[tuple[PartSpec, bool]] = []
        for part in dwellings:
            slug = part.key[0]
            status = rng.choices(("own", "let", "empty"), OCCUPANCY[slug])[0]
            if status != "own":
                let_or_empty.append((part, status == "let"))
                continue
            shape = rng.choices(shapes, [s[column[slug]] for s in _SHAPES])[0]
            people = self.members(shape, part.community, slug)
            co_owned = len(people) > 1 and people[1].age >= 18 and rng.random() < 0.35
            since = self.own(part, people[:2] if co_owned else people[:1])
            kind = (
                Residency.Kind.REGISTERED
                if rng.random() < 0.88
                else Residency.Kind.HABITUAL
            )
            self.household(part, people, kind=kind, since=since, tenant=False)
            owner_heads.append(people[0])
        for part, let in let_or_empty:
            slug = part.key[0]
            if rng.random() < 0.45:
                # A resident of the demo who bought a second flat.
                pool = [p for p in owner_heads if self.owned[p.id_number] == 1]
                owners = [rng.choice(pool)]
            else:
                owners = self.absent_owners(part.community)
            since = self.own(part, owners)
            if let:
                shape = rng.choices(shapes, [s[4] for s in _SHAPES])[0]
                people = self.members(shape, part.community, slug)
                moved_in = dt.date(rng.randint(2021, 2025), rng.randint(1, 12), 1)
                self.household(
                    part,
                    people,
                    kind=Residency.Kind.HABITUAL,
                    since=max(since, moved_in),
                    tenant=True,
                )
        self.garages_and_shops(owner_heads)

    def absent_owners(self, community: str) -> list[PersonSpec]:
        """An owner (sometimes a couple) who lives elsewhere.

        Their home community is the part's: the register keeps them with the
        community where they own, as residents' committees do for absent owners.
        """
        sex = self.rng.choice("MF")
        age = self.rng.randint(33, 76)
        owner = self.person(sex=sex, age=age, community=community)
        if self.rng.random() < 0.1:
            return [
                owner,
                self.person(
                    sex=self._other(sex),
                    age=self._spouse_age(age),
                    community=community,
                ),
            ]
        return [owner]

    def garages_and_shops(self, owner_heads: list[PersonSpec]) -> None:
        rng = self.rng
        for part in self.plan.parts:
            if part.kind == Kind.DWELLING:
                continue
            slug = part.key[0]
            if part.developer_held:
                continue
            if part.kind == Kind.PARKING:
                # Parking is bought by residents of the compound with no space yet.
                pool = [
                    p
                    for p in owner_heads
                    if p.compound == slug and self.owned[p.id_number] == 1
                ]
                self.own(part, [rng.choice(pool)])
            elif rng.random() < 0.3:
                self.own(part, [rng.choice(owner_heads)])
            else:
                self.own(part, self.absent_owners(part.community))
        for part in self.plan.parts:
            if part.developer_held:
                developer = _COMPOUNDS[part.key[0]].developer_name
                self.plan.ownerships.append(
                    OwnershipSpec(
                        part=part.key,
                        person=None,
                        developer=developer,
                        basis=Basis.DEVELOPER_HELD,
                        nominated_voter=False,
                        start_date=None,
                    )
                )

    # -- bodies --

    def residents(self, community: str | None = None, compound: str | None = None):
        return [
            p
            for p in self.plan.people
            if p.household is not None
            and (community is None or p.community == community)
            and (compound is None or p.compound == compound)
        ]

    def party(self) -> None:
        """About 8% of adult residents are party members, more among the retired."""
        for community in COMMUNITIES:
            adults = [p for p in self.residents(community.code) if p.age >= 18]
            # Weighted sampling without replacement (Efraimidis–Spirakis): the k
            # largest u ** (1 / weight) win.
            keyed = sorted(
                adults,
                key=lambda p: self.rng.random() ** (1 / (1 + 2 * (p.age >= 60))),
                reverse=True,
            )
            for person in keyed[: round(len(adults) * PARTY_SHARE)]:
                person.party_member = True

    def pick(
        self,
        pool: list[PersonSpec],
        taken: set[str],
        *,
        ages: tuple[int, int] = (25, 70),
        party: bool = False,
        owners: bool = False,
    ) -> PersonSpec:
        candidates = [
            p
            for p in pool
            if ages[0] <= p.age <= ages[1]
            and p.id_number not in taken
            and (p.party_member or not party)
            and (self.owned[p.id_number] > 0 or not owners)
        ]
        chosen = self.rng.choice(candidates)
        taken.add(chosen.id_number)
        return chosen

    def seat(
        self,
        body: BodyKey,
        person: PersonSpec,
        role: str,
        *,
        term: bool = True,
    ) -> None:
        self.plan.memberships.append(
            MembershipSpec(
                body=body,
                person=person.id_number,
                role=role,
                term_start=TERM_START if term else None,
                term_end=TERM_END if term else None,
            )
        )

    def body(self, community: str, compound: str | None, kind: str, name: str):
        key = (community, compound, kind)
        self.plan.bodies.append(BodySpec(key=key, name=name))
        return key

    def bodies(self) -> dict[str, PersonSpec]:
        """The bodies and their members; returns the people the logins need."""
        taken = self.taken
        found: dict[str, PersonSpec] = {}
        for community in COMMUNITIES:
            code = community.code
            pool = self.residents(code)
            adults = [p for p in pool if p.age >= 18]
            # The community party secretary also chairs the residents' committee
            # (“一肩挑”, common practice).
            leader = self.pick(adults, taken, ages=(38, 55), party=True)
            party = self.body(
                code, None, BodyKind.PARTY_ORGANISATION, f"中共{community.name}委员会"
            )
            self.seat(party, leader, Role.SECRETARY)
            self.seat(
                party, self.pick(adults, taken, party=True), Role.DEPUTY_SECRETARY
            )
            for _ in range(3):
                self.seat(party, self.pick(adults, taken, party=True), Role.MEMBER)
            for person in adults:
                if person.party_member:
                    self.seat(party, person, Role.PARTY_MEMBER, term=False)

            committee = self.body(
                code,
                None,
                BodyKind.RESIDENTS_COMMITTEE,
                f"{community.name}居民委员会",
            )
            self.seat(committee, leader, Role.CHAIR)
            self.seat(
                committee, self.pick(adults, taken, ages=(30, 55)), Role.VICE_CHAIR
            )
            members = [self.pick(adults, taken, ages=(26, 55)) for _ in range(3)]
            for person in members:
                self.seat(committee, person, Role.MEMBER)
            found[f"committee:{code}"] = members[0]

            # Supervisors may not be committee members or live with one.
            committee_homes = {p.household for p in (leader, *members)}
            clear = [p for p in adults if p.household not in committee_homes]
            supervisory = self.body(
                code, None, BodyKind.SUPERVISORY, f"{community.name}居务监督委员会"
            )
            self.seat(supervisory, self.pick(clear, taken, ages=(35, 70)), Role.CHAIR)
            for _ in range(2):
                self.seat(supervisory, self.pick(clear, taken), Role.MEMBER)

            # Three representatives elected per residents' group, who also form the
            # residents' meeting when it meets by group representatives (城市居民委员会
            # 组织法 2018 Art. 9: 二至三人).
            meeting = self.body(
                code,
                None,
                BodyKind.REPRESENTATIVES_MEETING,
                f"{community.name}居民代表会议",
            )
            households = {h.key: h for h in self.plan.households}
            for group in GROUP_NAMES:
                in_group = [p for p in adults if households[p.household].group == group]
                chosen: set[HouseholdKey] = set()
                for _ in range(3):
                    rep = self.pick(
                        [p for p in in_group if p.household not in chosen],
                        taken,
                        ages=(30, 75),
                    )
                    chosen.add(rep.household)
                    self.seat(meeting, rep, Role.REPRESENTATIVE)
                    for residency in self.plan.residencies:
                        if residency.person == rep.id_number:
                            residency.is_group_representative = True

            council = self.body(
                code, None, BodyKind.COUNCIL, f"{community.name}居民议事会"
            )
            self.seat(council, self.pick(adults, taken, ages=(50, 72)), Role.CHAIR)
            for _ in range(6):
                self.seat(council, self.pick(adults, taken), Role.MEMBER)

        for compound in COMPOUNDS:
            code = compound.communities[0]
            pool = [p for p in self.residents(compound=compound.slug) if p.age >= 18]
            branch = self.body(
                code, compound.slug, BodyKind.PARTY_BRANCH, f"{compound.name}小区党支部"
            )
            secretary = self.pick(pool, taken, ages=(35, 68), party=True)
            self.seat(branch, secretary, Role.SECRETARY)
            found[f"secretary:{compound.slug}"] = secretary
            for _ in range(2):
                self.seat(branch, self.pick(pool, taken, party=True), Role.MEMBER)
            for person in pool:
                if person.party_member:
                    self.seat(branch, person, Role.PARTY_MEMBER, term=False)

            if compound.slug == XINCUN:
                kind, name = BodyKind.SELF_MANAGEMENT, f"{compound.name}自治管理委员会"
            else:
                kind, name = BodyKind.OWNERS_COMMITTEE, f"{compound.name}业主委员会"
            board = self.body(code, compound.slug, kind, name)
            self.seat(
                board, self.pick(pool, taken, ages=(35, 70), owners=True), Role.CHAIR
            )
            self.seat(board, self.pick(pool, taken, owners=True), Role.VICE_CHAIR)
            for _ in range(3):
                self.seat(board, self.pick(pool, taken, owners=True), Role.MEMBER)
        return found

    def two_representatives_one_member(self, found: dict[str, PersonSpec]) -> None:
        taken = self.taken
        deputy = self.pick(
            [p for p in self.residents(compound=XINCUN) if not p.tenant],
            taken,
            ages=(42, 60),
        )
        member = self.pick(
            [p for p in self.residents(compound=JINSHA) if not p.tenant],
            taken,
            ages=(38, 60),
        )
        # The 阳光社区 party secretary is a delegate to the district party congress.
        delegate = next(
            self.people[m.person]
            for m in self.plan.memberships
            if m.body == (YG, None, BodyKind.PARTY_ORGANISATION)
            and m.role == Role.SECRETARY
        )
        for person, kind, title, communities in (
            (deputy, RepKind.PEOPLES_CONGRESS, "攀枝花市东区人大代表", (YG, JS)),
            (member, RepKind.CPPCC, "政协攀枝花市东区委员会委员", (JS,)),
            (delegate, RepKind.PARTY_CONGRESS, "中共攀枝花市东区代表大会代表", (YG,)),
        ):
            self.plan.representatives.append(
                RepresentativeSpec(
                    person=person.id_number,
                    kind=kind,
                    level=Representative.Level.DISTRICT,
                    title=title,
                    communities=communities,
                )
            )
        found["deputy"] = deputy

    def grids(self) -> None:
        for community in COMMUNITIES:
            for grid in (GRID_1, GRID_2):
                sex = self.rng.choice("MF")
                birth_year = REFERENCE_DATE.year - self.rng.randint(26, 45)
                self.plan.grid_workers[(community.code, grid)] = (
                    self.name(sex, birth_year),
                    self._phone(),
                )

    # -- logins --

    def logins(self, found: dict[str, PersonSpec]) -> None:
        seated = {m.person for m in self.plan.memberships} | self.taken
        owners_of: dict[str, list[OwnershipSpec]] = {}
        for ownership in self.plan.ownerships:
            if ownership.person:
                owners_of.setdefault(ownership.person, []).append(ownership)
        parts = {p.key: p for p in self.plan.parts}
        residents = [
            p
            for p in self.residents(compound=YANGGUANG)
            if p.id_number not in seated and 25 <= p.age <= 60
        ]
        resident = next(
            p
            for p in residents
            if p.tenant
            and p.id_number not in owners_of
            and self._is_representative(p.id_number)
        )

        def good_owner(person: PersonSpec) -> bool:
            held = owners_of.get(person.id_number, [])
            kinds = {parts[o.part].kind for o in held}
            return (
                not person.tenant
                and any(o.nominated_voter for o in held)
                and Kind.PARKING in kinds
            )

        owner = next(p for p in residents if good_owner(p))
        committee = found[f"committee:{YG}"]
        secretary = found[f"secretary:{YANGGUANG}"]
        deputy = found["deputy"]

        def where(person: PersonSpec) -> str:
            _, number = person.household
            compound, rest = number[:2], number[2:]
            name = next(c.name for c in COMPOUNDS if c.abbr == compound)
            building, entrance, room = rest.split("-")
            return f"{name}{building}栋{entrance}单元{room}"

        self.plan.logins = [
            LoginSpec(
                "admin",
                "系统管理员，可进入网站后台 /admin/",
                "Administrator, Wagtail admin at /admin/",
                superuser=True,
            ),
            LoginSpec(
                "resident",
                f"居民 {resident.full_name}（{where(resident)}，租户、户代表）",
                "Resident: tenant and household representative, not an owner",
                person=resident.id_number,
            ),
            LoginSpec(
                "owner",
                f"业主 {owner.full_name}（{where(owner)}，与配偶共有、"
                "推选的表决人，另有车位）",
                "Owner: co-owned flat (the nominated voter) and a parking space",
                person=owner.id_number,
            ),
            LoginSpec(
                "committee",
                f"阳光社区居民委员会委员 {committee.full_name}",
                "Member of the 阳光社区 residents' committee",
                person=committee.id_number,
            ),
            LoginSpec(
                "secretary",
                f"阳光花园小区党支部书记 {secretary.full_name}",
                "Secretary of the 阳光花园 compound party branch",
                person=secretary.id_number,
            ),
            LoginSpec(
                "deputy",
                f"东区人大代表 {deputy.full_name}（联系阳光社区、金沙社区）",
                "District people's-congress deputy, linked to both communities",
                person=deputy.id_number,
            ),
            LoginSpec(
                "staff_yangguang",
                "阳光社区工作人员（名册编辑）",
                "Community staff: edits the 阳光社区 register",
                staff_community=YG,
                first_name=self.name("F", 1988),
            ),
            LoginSpec(
                "staff_bingcaogang",
                "炳草岗街道工作人员（查看全街道名册）",
                "Subdistrict staff: views every community's register",
                staff_subdistrict=SUBDISTRICT_CODE,
                first_name=self.name("M", 1979),
            ),
        ]

    def _is_representative(self, id_number: str) -> bool:
        return any(
            r.person == id_number and r.is_representative for r in self.plan.residencies
        )


def build_plan() -> Plan:
    """Every row of the demo, in memory, from the fixed seed (no database access)."""
    planner = _Planner()
    planner.parts()
    planner.area_sources()
    planner.occupy()
    planner.party()
    found = planner.bodies()
    planner.two_representatives_one_member(found)
    planner.grids()
    planner.logins(found)
    return planner.plan


# ---- Writing the plan ----


@dataclass
class SeedResult:
    created: dict[str, int]
    totals: dict[str, int]
    logins: list[LoginSpec]
    warnings: list[str] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return any(self.created.values())


class _Writer:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.created: Counter[str] = Counter()
        self.warnings: list[str] = []

    def count(self, label: str, n: int = 1) -> None:
        self.created[label] += n

    def get_or_create(self, model, label: str, defaults: dict | None = None, **key):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **key)
        if created:
            self.count(label)
        return obj

    def sync(self, model, label: str, key_fields, rows: dict, existing) -> dict:
        """Create the rows whose natural key is missing; return every key's pk."""

        def current() -> dict:
            return {
                tuple(row[1:]): row[0]
                for row in existing.values_list("pk", *key_fields)
            }

        have = current()
        missing = [model(**fields) for key, fields in rows.items() if key not in have]
        if missing:
            model.objects.bulk_create(missing, batch_size=500)
            self.count(label, len(missing))
            have = current()
        return have

    def write(self) -> None:
        plan = self.plan
        subdistrict = self.get_or_create(
            Subdistrict,
            "街道",
            code=SUBDISTRICT_CODE,
            defaults={"name": SUBDISTRICT_NAME},
        )
        communities = {
            c.code: self.get_or_create(
                Community,
                "社区",
                code=c.code,
                defaults={
                    "name": c.name,
                    "slug": c.slug,
                    "subdistrict": subdistrict,
                    "urban_rural_code": c.urban_rural_code,
                },
            )
            for c in COMMUNITIES
        }
        groups = {
            (code, number): self.get_or_create(
                ResidentsGroup,
                "居民小组",
                community=community,
                number=number,
                defaults={"name": name},
            )
            for code, community in communities.items()
            for number, name in GROUP_NAMES.items()
        }
        grids = {}
        for (code, name), (worker, phone) in plan.grid_workers.items():
            grids[code, name] = self.get_or_create(
                Grid,
                "网格",
                community=communities[code],
                name=name,
                defaults={"worker_name": worker, "worker_phone": phone},
            )
        developers = {
            name: self.get_or_create(Developer, "建设单位", name=name)
            for name in sorted({o.developer for o in plan.ownerships if o.developer})
        }
        compounds = {}
        for spec in COMPOUNDS:
            compound = self.get_or_create(
                Compound,
                "小区",
                slug=spec.slug,
                defaults={
                    "name": spec.name,
                    "subdistrict": subdistrict,
                    "address": spec.address,
                    "developer_name": spec.developer_name,
                },
            )
            linked = set(compound.communities.values_list("code", flat=True))
            missing = [communities[c] for c in spec.communities if c not in linked]
            if missing:
                compound.communities.add(*missing)
            compounds[spec.slug] = compound
        buildings = {
            (b.compound, b.number): self.get_or_create(
                Building,
                "楼栋",
                compound=compounds[b.compound],
                number=b.number,
                defaults={
                    "community": communities[b.community],
                    "grid": grids[b.community, b.grid],
                },
            ).pk
            for b in BUILDINGS
        }
        entrances = self.sync(
            Entrance,
            "单元",
            ("building_id", "number"),
            {
                (buildings[b.compound, b.number], str(n)): {
                    "building_id": buildings[b.compound, b.number],
                    "number": str(n),
                }
                for b in BUILDINGS
                for n in range(1, b.entrances + 1)
            },
            Entrance.objects.filter(building_id__in=buildings.values()),
        )

        def part_key(key: PartKey) -> tuple:
            slug, building, entrance, number = key
            building_id = buildings[slug, building]
            entrance_id = entrances[building_id, entrance] if entrance else None
            return (building_id, entrance_id, number)

        parts = self.sync(
            ExclusivePart,
            "专有部分",
            ("building_id", "entrance_id", "number"),
            {
                part_key(p.key): {
                    "building_id": part_key(p.key)[0],
                    "entrance_id": part_key(p.key)[1],
                    "number": p.key[3],
                    "kind": p.kind,
                    "area_register": p.area_register,
                    "area_survey": p.area_survey,
                    "area_contract": p.area_contract,
                    "unit_code": p.unit_code,
                }
                for p in plan.parts
            },
            ExclusivePart.objects.filter(building_id__in=buildings.values()),
        )
        hashes = {p.id_number: id_number_hash(p.id_number) for p in plan.people}
        people = self.sync(
            Person,
            "居民",
            ("id_number_hash",),
            {
                (hashes[p.id_number],): {
                    "full_name": p.full_name,
                    "birth_date": p.birth_date,
                    "phone": p.phone,
                    "id_number_hash": hashes[p.id_number],
                    "id_number_last4": p.id_number[-4:],
                    "home_community": communities[p.community],
                }
                for p in plan.people
            },
            Person.objects.filter(id_number_hash__in=hashes.values()),
        )
        person_id = {number: people[(h,)] for number, h in hashes.items()}
        households = self.sync(
            Household,
            "户",
            ("community_id", "number"),
            {
                (communities[h.key[0]].pk, h.key[1]): {
                    "community": communities[h.key[0]],
                    "number": h.key[1],
                    "residents_group": groups[h.key[0], h.group],
                    "dwelling_id": parts[part_key(h.dwelling)],
                }
                for h in plan.households
            },
            Household.objects.filter(community__in=communities.values()),
        )
        household_id = {
            h.key: households[communities[h.key[0]].pk, h.key[1]]
            for h in plan.households
        }
        self._residencies(person_id, household_id)
        self._ownerships(person_id, parts, part_key, developers)
        bodies = self._bodies(communities, compounds)
        self._memberships(bodies, person_id)
        self._representatives(person_id, communities)
        self._logins(person_id, communities, subdistrict)

    def _residencies(self, person_id: dict, household_id: dict) -> None:
        existing = Residency.objects.filter(household_id__in=household_id.values())
        # An editor may have named another representative since: never a second one.
        represented = set(
            existing.filter(is_representative=True, end_date__isnull=True).values_list(
                "household_id", flat=True
            )
        )
        rows = {}
        for r in self.plan.residencies:
            household = household_id[r.household]
            rows[person_id[r.person], household] = {
                "person_id": person_id[r.person],
                "household_id": household,
                "kind": r.kind,
                "is_representative": r.is_representative
                and household not in represented,
                "is_group_representative": r.is_group_representative,
                "start_date": r.start_date,
            }
        self.sync(Residency, "居住关系", ("person_id", "household_id"), rows, existing)

    def _ownerships(self, person_id, parts, part_key, developers) -> None:
        existing = Ownership.objects.filter(
            part_id__in=parts.values(), end_date__isnull=True
        )
        voted = set(
            existing.filter(nominated_voter=True).values_list("part_id", flat=True)
        )
        rows = {}
        for o in self.plan.ownerships:
            part = parts[part_key(o.part)]
            person = person_id[o.person] if o.person else None
            developer = developers[o.developer].pk if o.developer else None
            rows[part, person, developer] = {
                "part_id": part,
                "person_id": person,
                "developer_id": developer,
                "basis": o.basis,
                "nominated_voter": o.nominated_voter and part not in voted,
                "start_date": o.start_date,
            }
        self.sync(
            Ownership,
            "产权",
            ("part_id", "person_id", "developer_id"),
            rows,
            existing,
        )

    def _bodies(self, communities: dict, compounds: dict) -> dict[BodyKey, int]:
        rows = {}
        for b in self.plan.bodies:
            community, compound, kind = b.key
            compound_id = compounds[compound].pk if compound else None
            rows[communities[community].pk, compound_id, kind] = {
                "community": communities[community],
                "compound_id": compound_id,
                "kind": kind,
                "name": b.name,
            }
        have = self.sync(
            Body,
            "组织",
            ("community_id", "compound_id", "kind"),
            rows,
            Body.objects.filter(community__in=communities.values()),
        )
        return {
            b.key: have[
                communities[b.key[0]].pk,
                compounds[b.key[1]].pk if b.key[1] else None,
                b.key[2],
            ]
            for b in self.plan.bodies
        }

    def _memberships(self, bodies: dict, person_id: dict) -> None:
        rows = {}
        for m in self.plan.memberships:
            key = (bodies[m.body], person_id[m.person], m.role, m.term_start)
            rows[key] = {
                "body_id": key[0],
                "person_id": key[1],
                "role": m.role,
                "term_start": m.term_start,
                "term_end": m.term_end,
            }
        self.sync(
            Membership,
            "成员",
            ("body_id", "person_id", "role", "term_start"),
            rows,
            Membership.objects.filter(body_id__in=bodies.values()),
        )

    def _representatives(self, person_id: dict, communities: dict) -> None:
        for r in self.plan.representatives:
            rep = self.get_or_create(
                Representative,
                "两代表一委员",
                person_id=person_id[r.person],
                kind=r.kind,
                level=r.level,
                defaults={
                    "title": r.title,
                    "term_start": TERM_START,
                    "term_end": TERM_END,
                },
            )
            linked = set(rep.communities.values_list("code", flat=True))
            missing = [communities[c] for c in r.communities if c not in linked]
            if missing:
                rep.communities.add(*missing)

    def _logins(self, person_id: dict, communities: dict, subdistrict) -> None:
        User = get_user_model()
        password = make_password(DEMO_PASSWORD, _PASSWORD_SALT)
        for login in self.plan.logins:
            wanted = {
                "password": password,
                "is_active": True,
                "is_staff": login.superuser,
                "is_superuser": login.superuser,
            }
            user = User.objects.filter(username=login.username).first()
            if user is None:
                user = User(username=login.username, first_name=login.first_name)
                self.count("登录账号")
            # Demo passwords are set back to the printed one on every run (documented
            # in the command's output), so the printed table is always true.
            changed = [k for k, v in wanted.items() if getattr(user, k) != v]
            for name in changed:
                setattr(user, name, wanted[name])
            if user.pk is None:
                user.save()
            elif changed:
                user.save(update_fields=changed)
            if login.person:
                pk = person_id[login.person]
                if not Person.objects.filter(pk=pk, user=user).exists():
                    Person.objects.filter(user=user).update(user=None)
                    Person.objects.filter(pk=pk).update(user=user)
            scope = {"community": None, "subdistrict": None}
            role = None
            if login.staff_community:
                scope["community"] = communities[login.staff_community]
                role = StaffAssignment.Role.EDITOR
            elif login.staff_subdistrict:
                scope["subdistrict"] = subdistrict
                role = StaffAssignment.Role.VIEWER
            if role and not StaffAssignment.objects.filter(user=user, **scope).exists():
                StaffAssignment.objects.create(user=user, role=role, **scope)
                self.count("工作人员授权")


# ---- Pages ----

ARTICLES = (
    {
        "slug": "jiazhuang-dianti",
        "title": "加装电梯工作方案",
        "summary": "炳草岗新村等老旧住宅加装电梯：条件、表决、费用分摊、"
        "施工与维护的办理流程。",
        "body": (
            "<h2>一、为什么要加装电梯</h2>"
            "<p>炳草岗新村建于上世纪九十年代，楼栋均为六层、没有电梯。小区里六十岁"
            "以上的居民超过三成，不少老人腿脚不便，上下楼成了每天的难题。"
            "为方便群众出行，社区按照“居民自愿、业主主体、政府支持、社区协调”的"
            "原则，推动以单元为单位加装电梯。</p>"
            "<h2>二、由谁来决定</h2>"
            "<p>加装电梯属于改建建筑物及其附属设施，依照《民法典》第二百七十八条，"
            "应当由专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与"
            "表决，并经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上"
            "的业主同意。具体以单元还是楼栋为表决范围，按区住房城乡建设部门的规定"
            "执行。共有的房屋由共有人推选一人表决；一户有多套房屋的，按规定计算"
            "人数。</p>"
            "<h2>三、办理步骤</h2>"
            "<ol>"
            "<li>意愿征询：单元业主提出申请，社区协助召开单元协商会。</li>"
            "<li>方案协商：确定电梯位置、设计方案、费用分摊和后期维护办法，"
            "充分听取一楼、二楼住户的意见。</li>"
            "<li>业主表决：可在本平台进行书面表决，表决结果自动按面积和人数统计。</li>"
            "<li>公示：表决结果和实施方案在单元和居务公开栏公示，接受居民监督。</li>"
            "<li>报审与施工：由实施主体办理规划、施工等手续，选择有资质的单位施工。</li>"
            "<li>验收与维护：竣工验收合格后投入使用，按约定落实维护保养费用。</li>"
            "</ol>"
            "<h2>四、费用怎么分摊</h2>"
            "<p>建设费用由受益业主按楼层协商分摊，楼层越高分摊比例越高，一楼住户"
            "一般不出资。符合条件的可以申请使用住宅专项维修资金和政府补助，补助标准"
            "以区住房城乡建设部门公布的为准。</p>"
            "<h2>五、咨询与协调</h2>"
            "<p>有意向的单元请联系阳光社区或金沙社区居民委员会，也可以在本平台提出"
            "诉求。社区党委、小区党支部和自治管理委员会全程协助协商，化解分歧。</p>"
        ),
    },
    {
        "slug": "juwu-gongkai",
        "title": "居务公开：公开什么、何时公开、如何监督",
        "summary": "社区居务公开的内容、时间、形式和监督办法。",
        "body": (
            "<h2>一、公开哪些内容</h2>"
            "<ul>"
            "<li>居民会议、居民代表会议的决定及执行情况；</li>"
            "<li>社区协商的结果及落实情况；</li>"
            "<li>社区工作经费和公益事业经费的收支；</li>"
            "<li>政府拨付和社会捐赠的救灾救助、补贴补助资金和物资的管理使用；</li>"
            "<li>协助政府开展的工作，以及居民普遍关心的其他事项。</li>"
            "</ul>"
            "<h2>二、什么时候公开</h2>"
            "<p>一般事项至少每季度公开一次；收支较多的，财务收支每月公开一次；"
            "重大事项随时公开。公开内容在居务公开栏保留的时间不少于规定时限。</p>"
            "<h2>三、在哪里公开</h2>"
            "<p>社区设立固定的居务公开栏，同时在本平台发布，并可打印带二维码的纸质"
            "通知张贴到各小区、各单元。每条公开记录依次编号、不可删改，方便查询"
            "核对。</p>"
            "<h2>四、怎样监督</h2>"
            "<p>居务监督委员会对公开的内容、时间和程序进行监督。居民对公开内容有"
            "疑问的，可以向居民委员会查询，也可以向居务监督委员会反映；居民委员会"
            "应当及时答复。未按规定公开或公开内容不真实的，居民可以向街道办事处"
            "反映。</p>"
        ),
    },
)


def _seed_pages(writer: _Writer) -> None:
    from yishi.models import ArticlePage
    from yishi.home import home_page_ensure

    try:
        from .pages import sync_register_pages
    except ImportError:
        sync_register_pages = None
    if sync_register_pages is None:
        writer.warnings.append(
            "未找到 neighbourhoods.pages.sync_register_pages，未创建名册页面。 "
            "Register pages were not created: sync_register_pages is missing."
        )
    else:
        for kind, n in sync_register_pages().items():
            if kind != "skipped" and n:
                writer.count("页面", n)
    home = home_page_ensure()
    slugs = set(home.get_children().values_list("slug", flat=True))
    for article in ARTICLES:
        if article["slug"] not in slugs:
            home.add_child(instance=ArticlePage(**article))
            writer.count("页面")


@transaction.atomic
def seed_demo() -> SeedResult:
    """Load the demo community (idempotent: a second run creates nothing)."""
    plan = build_plan()
    writer = _Writer(plan)
    writer.write()
    _seed_pages(writer)
    owners = {o.person for o in plan.ownerships if o.person}
    totals = {
        "社区 communities": len(COMMUNITIES),
        "小区 compounds": len(COMPOUNDS),
        "楼栋 buildings": len(BUILDINGS),
        "专有部分 exclusive parts": len(plan.parts),
        "户 households": len(plan.households),
        "居民 people": len(plan.people),
        "业主 owners": len(owners),
    }
    return SeedResult(
        created=dict(
            sorted(writer.created.items(), key=lambda kv: _LABEL_ORDER[kv[0]])
        ),
        totals=totals,
        logins=plan.logins,
        warnings=writer.warnings,
    )


_LABELS = {
    "街道": "subdistricts",
    "社区": "communities",
    "居民小组": "residents' groups",
    "网格": "grids",
    "建设单位": "developers",
    "小区": "compounds",
    "楼栋": "buildings",
    "单元": "entrances",
    "专有部分": "exclusive parts",
    "居民": "people",
    "户": "households",
    "居住关系": "residencies",
    "产权": "ownerships",
    "组织": "bodies",
    "成员": "memberships",
    "两代表一委员": "representatives",
    "登录账号": "logins",
    "工作人员授权": "staff assignments",
    "页面": "pages",
}
_LABEL_ORDER = {label: n for n, label in enumerate(_LABELS)}


# ---- The report `make run` prints ----


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def render_report(result: SeedResult) -> str:
    """What the command prints: a summary, then the logins table, then the URL."""
    lines = [
        f"演示数据 Demo data: 攀枝花市东区{SUBDISTRICT_NAME}"
        " (Bingcaogang subdistrict, Dong District, Panzhihua)",
        "  " + " · ".join(f"{label} {n}" for label, n in result.totals.items()),
    ]
    if result.created_anything:
        created = "，".join(
            f"{label} {_LABELS[label]} {n}" for label, n in result.created.items() if n
        )
        lines.append(f"  本次新建 Created this run: {created}")
    else:
        lines.append(
            "  数据已是最新，本次未新建任何记录。 "
            "Already up to date: nothing new was created."
        )
    lines += ["", "演示账号 Demo logins"]
    head = ("用户名 Username", "密码 Password", "身份 Who")
    user_w = max(_width(head[0]), *(_width(lg.username) for lg in result.logins)) + 2
    pass_w = max(_width(head[1]), _width(DEMO_PASSWORD)) + 2
    lines.append(_pad(head[0], user_w) + _pad(head[1], pass_w) + head[2])
    lines.append("-" * (user_w + pass_w + 40))
    for login in result.logins:
        lines.append(
            _pad(login.username, user_w) + _pad(DEMO_PASSWORD, pass_w) + login.who_zh
        )
        lines.append(" " * (user_w + pass_w) + login.who_en)
    lines += [
        "",
        "每次运行都会把以上账号的密码重置为演示密码。 "
        "Each run resets these logins to the demo password.",
        f"网站后台 Admin: {DEMO_URL}admin/",
        f"打开网站 Open: {DEMO_URL}",
    ]
    return "\n".join(lines) + "\n"
