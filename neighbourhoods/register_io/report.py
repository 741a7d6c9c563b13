"""What an import found and did: row errors, counts, and a plain-text rendering."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishi.privacy import scrub

ENTITY_LABELS = {
    "person": gettext_lazy("居民"),
    "household": gettext_lazy("户"),
    "residency": gettext_lazy("居住关系"),
    "entrance": gettext_lazy("单元"),
    "part": gettext_lazy("专有部分"),
    "ownership": gettext_lazy("产权"),
}


@dataclass(frozen=True)
class RowError:
    row: int | None  # None: the file as a whole
    column: str
    message: str

    def __post_init__(self):
        # Belt and braces: whatever a message quotes, no ID or mobile number survives.
        object.__setattr__(self, "message", scrub(str(self.message)))
        object.__setattr__(self, "column", scrub(str(self.column)))

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = _("第 %(row)d 行") % {"row": self.row}
        if self.column:
            where += f"「{self.column}」"
        return f"{where}：{self.message}"


@dataclass
class ImportReport:
    filename: str
    sha256: str
    dry_run: bool
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    batch_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return sum(c["create"] + c["update"] for c in self.counts.values())

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors if error.row is not None})

    def count_rows(self) -> list[tuple[str, int, int, int]]:
        """(label, create, update, unchanged) per kind of record, for tables."""
        return [
            (str(ENTITY_LABELS[key]), c["create"], c["update"], c["unchanged"])
            for key, c in self.counts.items()
        ]


def format_text(report: ImportReport) -> str:
    """The report as plain text for the management command."""
    lines = []
    if report.ignored_columns:
        lines.append(
            _("忽略的列： Ignored columns: %(columns)s")
            % {"columns": "、".join(scrub(c) for c in report.ignored_columns)}
        )
    if report.counts:
        header = (_("类别"), _("新增"), _("更新"), _("不变"))
        for cells in [header, *report.count_rows()]:
            lines.append(
                _pad(cells[0], 10) + "".join(_pad(c, 8, right=True) for c in cells[1:])
            )
    if report.errors:
        lines.append(
            _("发现 %(n)d 处错误（涉及 %(rows)d 行）： %(n)d errors in %(rows)d rows:")
            % {"n": len(report.errors), "rows": report.bad_rows}
        )
        lines.extend(str(error) for error in report.errors)
    return "\n".join(lines)


def _pad(value, width: int, *, right: bool = False) -> str:
    """Pad to `width` terminal columns: a Chinese character takes two."""
    text = str(value)
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(width - used, 1)
    return fill + text if right else text + fill
