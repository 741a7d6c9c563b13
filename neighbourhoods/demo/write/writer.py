"""`RegisterWriter`: writes the demo plan check-first, counting what it creates.

Rows are found by natural keys (codes, slugs, building and room numbers, household
numbers, the ID-number hash). A row that exists is left as it is — an editor's later
change survives — and a missing one is created through its register service with
actor None (the system), which writes its audit line. A second run therefore creates
nothing and writes no audit line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

# What the report calls each kind of row, in the order it lists them.
LABELS = {
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


class RegisterWriter:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()

    def count(self, label: str, n: int = 1) -> None:
        assert label in LABELS, label
        self.created[label] += n

    def ensure(self, label: str, found: Any, create: Callable[[], Any]) -> Any:
        """`found` when it exists, else what `create()` makes (counted)."""
        if found is not None:
            return found
        self.count(label)
        return create()

    def missing(
        self, label: str, existing: dict, rows: dict, create: Callable[..., Any]
    ) -> dict:
        """Create `create(actor=None, **fields)` for every row whose key is not in
        `existing` (in the rows' order); returns every key's object."""
        for key, fields in rows.items():
            if key not in existing:
                existing[key] = create(actor=None, **fields)
                self.count(label)
        return existing

    def created_in_order(self) -> dict[str, int]:
        order = {label: n for n, label in enumerate(LABELS)}
        return dict(sorted(self.created.items(), key=lambda kv: order[kv[0]]))
