"""The demo's place: 炳草岗街道, its communities, compounds and buildings, and the
shares that decide who lives, owns and sits where. Codes and addresses are
illustrative, not the real ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from neighbourhoods.models import ExclusivePart

Kind = ExclusivePart.Kind

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
COMPOUNDS_BY_SLUG = {c.slug: c for c in COMPOUNDS}
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
SHAPES = (
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
