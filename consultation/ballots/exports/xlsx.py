"""Spreadsheets (XLSX): the tally sheet and the who-voted list.

Areas are numbers shown with two decimals, fractions are text ``"p/q"``, and every
string cell is stored as text, never as a formula (a name may start with "=").
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import Ballot
from .voters import VoterList

AREA_FORMAT = "0.00"


def _area(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


class _SheetWriter:
    """Appends rows to an openpyxl sheet; areas as numbers shown with 2 decimals."""

    def __init__(self, worksheet):
        self.ws = worksheet

    def row(self, *values, areas: tuple[int, ...] = (), bold: bool = False):
        from openpyxl.styles import Font

        self.ws.append(list(values))
        cells = self.ws[self.ws.max_row]
        for index, cell in enumerate(cells):
            if isinstance(cell.value, str):
                # openpyxl stores "=…" as a formula; a name or label is only text.
                cell.data_type = "s"
            if index in areas and cell.value is not None:
                cell.number_format = AREA_FORMAT
            if bold:
                cell.font = Font(bold=True)

    def blank(self):
        self.ws.append([])


def _workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tally_sheet_xlsx(sheet: dict, *, ballot_url: str) -> bytes:
    """The tally sheet (see ``sheet.tally_sheet``) as one worksheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = _("计票表")
    ws.column_dimensions["A"].width = 34
    for column in "BCDEFGH":
        ws.column_dimensions[column].width = 18
    w = _SheetWriter(ws)
    _heading_rows(w, sheet)
    _count_rows(w, sheet)
    _decision_rows(w, sheet["decision"])
    _closing_rows(w, sheet, ballot_url)
    return _workbook_bytes(workbook)


def _heading_rows(w: _SheetWriter, sheet: dict) -> None:
    """Title, ballot, roll and participation."""
    w.row(_("计票表"), sheet["title"], bold=True)
    if sheet["consultative"]:
        w.row(_("征询性质"), _("本结果为征询性质，不作为正式表决"), bold=True)
    w.row(_("投票编号"), sheet["ballot_id"])
    w.row(_("社区"), sheet["community"])
    w.row(_("小区"), sheet["compound"])
    w.row(_("投票类型"), sheet["kind"])
    if sheet["seats"]:
        w.row(_("应选名额"), sheet["seats"])
    w.row(_("记名方式"), sheet["secrecy"])
    w.row(_("表决人范围"), sheet["basis"])
    if sheet.get("notice"):
        w.row(_("公告"), sheet["notice"])
    w.row(_("状态"), sheet["status"])
    w.row(_("名册日期"), sheet["roll"]["as_of"] or "")
    w.row(_("名册人数"), sheet["roll"]["heads"])
    if sheet["area_weighted"]:
        w.row(_("名册专有部分面积(㎡)"), _area(sheet["roll"]["area_m2"]), areas=(1,))
    w.row(_("参加人数"), sheet["participation"]["heads"])
    if sheet["area_weighted"]:
        w.row(
            _("参加专有部分面积(㎡)"),
            _area(sheet["participation"]["area_m2"]),
            areas=(1,),
        )
    w.row(_("参加人数占比"), sheet["participation"]["heads_percent"] or "—")
    participation = sheet["participation"]
    if participation.get("blank_heads") or participation.get("invalid_heads"):
        w.row(_("收到选票"), participation["received_heads"])
        w.row(_("空白票"), participation["blank_heads"])
        w.row(_("废票"), participation["invalid_heads"])
    for row in sheet["counting"]:
        review = _("需法律审核") if row["needs_legal_review"] else ""
        w.row(row["label"], row["value"], row["basis"], review)


def _count_rows(w: _SheetWriter, sheet: dict) -> None:
    """Votes per option, per channel and, for RANKED, per round."""
    w.blank()
    w.row(_("选项"), _("人数"), _("面积(㎡)"), _("备注"), bold=True)
    for option in sheet["options"]:
        w.row(
            option["label"],
            option["heads"],
            _area(option["area_m2"]),
            option["note"],
            areas=(2,),
        )
    w.blank()
    w.row(_("投票渠道"), _("人数"), _("面积(㎡)"), bold=True)
    for channel in sheet["channels"]:
        w.row(channel["label"], channel["heads"], _area(channel["area_m2"]), areas=(2,))
    for r in sheet["rounds"]:
        w.blank()
        w.row(_("第 %(n)s 轮") % {"n": r["number"]}, _("人数"), bold=True)
        for count in r["counts"]:
            w.row(count["label"], count["heads"])
        w.row(_("本轮淘汰"), r["eliminated"] or "—")
        w.row(_("无有效顺位的票"), r["exhausted"])


def _decision_rows(w: _SheetWriter, decision: dict | None) -> None:
    """The rule applied, each condition with its exact fraction, and the outcome."""
    if not decision:
        return
    w.blank()
    if decision.get("error"):
        w.row(_("表决规则"), decision["error"])
    else:
        w.row(_("表决规则"), decision["title"], bold=True)
        w.row(_("法律依据"), decision["law"])
        if decision["in_force"]:
            w.row(_("规则版本"), decision["rule"], decision["in_force"])
        if decision["decision_date"]:
            w.row(_("决定日期（表决截止日）"), decision["decision_date"])
        if decision["spans_effective_date"]:
            w.row(_("跨越生效日"), decision["spans_note"], bold=True)
        w.row(
            _("条件"),
            _("类别"),
            _("分子"),
            _("分母"),
            _("实际比例"),
            _("规定"),
            _("是否满足"),
            bold=True,
        )
        for c in decision["conditions"]:
            w.row(
                c["text"],
                c["role"],
                f"{c['numerator_name']} {c['numerator']}",
                f"{c['denominator_name']} {c['denominator']}",
                c["actual"],
                c["required"],
                c["holds_label"],
            )
        if decision["below_quorum"]:
            w.row(_("表决条件"), decision["approval_state"])
        w.row(_("表决结果"), decision["outcome"], bold=True)


def _closing_rows(w: _SheetWriter, sheet: dict, ballot_url: str) -> None:
    """Publication, the online record, and the signature lines."""
    w.blank()
    if sheet["published"]:
        w.row(_("公布时间"), sheet["published_at"])
        w.row(_("公布结果 SHA-256"), sheet["sha256"])
    else:
        w.row(_("公布状态"), _("尚未公布（核对用，非正式结果）"))
    w.row(_("网上记录"), ballot_url)
    w.row(_("制表时间"), sheet["printed_at"])
    w.blank()
    for role in (_("计票人"), _("监票人"), _("记录人")):
        w.row(role, _("签名："), _("日期："))


def voter_list_xlsx(ballot: Ballot, voters: VoterList) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = _("投票人")
    for column, width in zip("ABCD", (20, 18, 20, 40), strict=True):
        ws.column_dimensions[column].width = width
    w = _SheetWriter(ws)
    w.row(*voters.headers, bold=True)
    for row in voters.rows:
        w.row(*row)
    return _workbook_bytes(workbook)
