"""Which matters must go through 四议两公开 (RULES.md §1.3).

National documents say "重大事项" without a list for urban communities. The default
list adapts the typical local lists of rural origin, with their statutory roots:
《城市居民委员会组织法》(2018) 第十条 ("涉及全体居民利益的重要问题，居民委员会必须
提请居民会议讨论决定") [NAT-LAW] and 《村民委员会组织法》第二十四条 (nine items)
[NAT-LAW] — as a per-community list [LOCAL]: a community may add or remove
categories. "Other" is never required by default. No Django import here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Category(enum.StrEnum):
    CHARTER_PACT = "charter_pact"
    PLANS = "plans"
    PUBLIC_WELFARE = "public_welfare"
    ASSETS = "assets"
    SUBSIDIES = "subsidies"
    VITAL_INTERESTS = "vital_interests"
    OTHER = "other"


CATEGORY_LABELS_ZH = {
    Category.CHARTER_PACT: "制定或修改自治章程、居民公约",
    Category.PLANS: "社区发展规划和年度工作计划",
    Category.PUBLIC_WELFARE: "公益事业筹资筹劳和建设项目",
    Category.ASSETS: "集体资产处置和举债",
    Category.SUBSIDIES: "补贴和救助的分配",
    Category.VITAL_INTERESTS: "其他涉及居民切身利益的重要事项",
    Category.OTHER: "其他事项",
}

#: The default list (RULES.md §1.3): every category but "other".
DEFAULT_REQUIRED = frozenset(c for c in Category if c is not Category.OTHER)


def required_categories(setting: Iterable[str] | None) -> frozenset[Category]:
    """A community's list; None or empty means the default list. Unknown names are
    refused (``ValueError``) rather than ignored."""
    if not setting:
        return DEFAULT_REQUIRED
    return frozenset(Category(name) for name in setting)


def requires_procedure(
    category: str, *, enabled: bool, setting: Iterable[str] | None
) -> bool:
    """Whether a matter of ``category`` must go through the procedure in a
    community (never where the community has not switched it on)."""
    return enabled and Category(category) in required_categories(setting)
