"""The writes an import plans: one `PendingWrite` per record it touches, saved in order.

Planning fills `PendingWrite`s in memory and never saves; `writes_apply` saves them,
parents first, and only the fields that changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

# Parents first; a flag whose holder may change is named beside its kind.
WRITE_ORDER = (
    ("entrance", None),
    ("part", None),
    ("person", None),
    ("household", None),
    ("residency", "is_representative"),
    ("ownership", "nominated_voter"),
)


@dataclass(eq=False)
class PendingWrite:
    """A record the import touches: existing or new, and the fields it changes."""

    obj: models.Model
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


def write_counts(
    pending: dict[str, dict[object, PendingWrite]],
) -> dict[str, dict[str, int]]:
    """Per kind of record: how many are created, updated and left unchanged."""
    result = {}
    for kind, items in pending.items():
        values = list(items.values())
        result[kind] = {
            "create": sum(1 for t in values if t.new),
            "update": sum(1 for t in values if not t.new and t.changed),
            "unchanged": sum(1 for t in values if not t.new and not t.changed),
        }
    return result


def writes_in_order(
    pending: dict[str, dict[object, PendingWrite]],
) -> list[PendingWrite]:
    """Records to save, parents first; flags that lose their holder before those
    that gain one, so the one-representative constraints hold at every statement.
    """
    ordered: list[PendingWrite] = []
    for kind, flag in WRITE_ORDER:
        items = [t for t in pending[kind].values() if t.new or t.changed]
        if flag:
            items.sort(key=lambda t, flag=flag: (t.new, bool(getattr(t.obj, flag))))
        ordered.extend(items)
    return ordered


def writes_apply(pending: dict[str, dict[object, PendingWrite]], progress) -> None:
    """Save every new or changed record (call inside the import's transaction)."""
    for write in writes_in_order(pending):
        if write.new:
            write.obj.save(force_insert=True)
        else:
            write.obj.save(update_fields=sorted(write.changed))
        progress.update(1)
