"""Tally sheets (计票表) as PDF and XLSX, who-voted lists, published tallies as JSON.

Everything here reads; nothing writes. A published ballot is always exported from its
frozen `PublishedTally.result` (never a recount), so every document matches the record
whose sha256 was published. Other ballots (closed, or open with a live tally) are
counted afresh and the sheet says it is not the published result.

Privacy: no phone or ID-card number is ever read here. A secret ballot's who-voted list
names who took part and how, never a choice, in roll-key order (never vote order).

The PDF is rendered by WeasyPrint with a fetcher that loads nothing but data: URIs and
our own static files: no network, whatever a title or a label contains.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Developer, Person

from .domain.rules import get_rule
from .domain.thresholds import RuleError
from .domain.units import format_area
from .models import (
    Ballot,
    BallotOption,
    Channel,
    Participation,
    PublishedTally,
    RollEntry,
)
from .selectors import ballot_tally, tally_as_dict

# WeasyPrint resolves relative URLs against this origin; `.invalid` never resolves
# (RFC 2606), so nothing the fetcher refuses can reach a network either.
PDF_BASE_URL = "http://yishi.invalid/"
PDF_STATIC_URL = PDF_BASE_URL + "static/"
PDF_STYLESHEET = PDF_STATIC_URL + "consultation/tally_sheet_print.css"
# The four channels every sheet lists (zero when unused), in this order.
SHEET_CHANNELS = ("online", "paper", "door", "proxy")
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100


def _kind_labels() -> dict[str, str]:
    return {
        "motion": _("议题表决"),
        "written": _("书面征求意见"),
        "single": _("单项选择"),
        "multiple": _("多项选择"),
        "election": _("选举"),
        "ranked": _("排序复选（逐轮淘汰）"),
        "rating": _("评议打分"),
    }


def _basis_labels() -> dict[str, str]:
    return {
        "residents_adult": _("本社区十八周岁以上居民"),
        "household_representatives": _("户代表"),
        "group_representatives": _("居民小组代表"),
        "body_members": _("组织成员"),
        "party_members": _("党员"),
        "owners": _("业主"),
    }


def channel_label(channel: str) -> str:
    labels = dict(Channel.choices)
    labels["official"] = _("官方表决系统")
    return str(labels.get(channel, channel))


def _comparator_label(comparator: str) -> str:
    return {">=": _("≥（以上）"), ">": _("＞（超过）")}.get(comparator, comparator)


def _role_label(role: str) -> str:
    return {"quorum": _("参加比例"), "approval": _("通过比例")}.get(role, role)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def tally_sha256(result: dict) -> str:
    """The digest `services.ballot_publish` stores (sorted keys, UTF-8, unescaped)."""
    body = json.dumps(result, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


# --- the sheet: one dict both renderers read -----------------------------------------


def _published(ballot: Ballot) -> PublishedTally | None:
    try:
        return ballot.published_tally
    except PublishedTally.DoesNotExist:
        return None


def _option_note(option: dict, kind: str, winners: list) -> str:
    notes = []
    if option.get("elected"):
        notes.append(_("当选"))
    elif option.get("tied_at_cut"):
        notes.append(_("票数相同，需另行投票"))
    elif option.get("alternate_rank"):
        notes.append(_("候补第 %(rank)s 位") % {"rank": option["alternate_rank"]})
    elif kind in ("single", "multiple", "rating") and option.get("id") in winners:
        notes.append(_("得票最多") if kind != "rating" else _("平均分最高"))
    if option.get("mean_score"):
        notes.append(_("平均分 %(score)s") % {"score": option["mean_score"]})
    return "；".join(str(note) for note in notes)


def _decision(decision: dict | None) -> dict | None:
    """The rule as applied, with Chinese names for its inputs and conditions."""
    if not decision:
        return None
    if decision.get("error"):
        return {"error": decision["error"], "conditions": []}
    try:
        rule = get_rule(decision.get("rule", ""))
        input_names = {spec.name: spec.text_zh for spec in rule.inputs}
        texts = {c.key: c.text_zh for c in rule.conditions()}
        title = rule.title_zh
    except RuleError:  # a rule since withdrawn: the frozen record still prints
        input_names, texts, title = {}, {}, decision.get("rule", "")
    kinds = decision.get("value_kinds", {})

    def amount(field: str, value: int) -> str:
        if kinds.get(field, "").startswith("area"):
            return f"{format_area(value)} ㎡"
        return _("%(n)s 人") % {"n": value}

    conditions = []
    for c in decision.get("conditions", []):
        num, den = c["numerator_field"], c["denominator_field"]
        conditions.append(
            {
                "key": c["key"],
                "role": _role_label(c["role"]),
                "text": texts.get(c["key"])
                or f"{input_names.get(num, num)} / {input_names.get(den, den)}",
                "numerator": amount(num, c["numerator"]),
                "numerator_name": input_names.get(num, num),
                "denominator": amount(den, c["denominator"]),
                "denominator_name": input_names.get(den, den),
                "actual": c.get("actual") or "—",
                "comparator": _comparator_label(c["comparator"]),
                "required": c["required"],
                "holds": bool(c["holds"]),
                "holds_label": _("满足") if c["holds"] else _("不满足"),
            }
        )
    if decision.get("passed"):
        outcome = _("通过")
    elif not decision.get("quorum_met"):
        outcome = _("未达到法定参加比例，未通过")
    else:
        outcome = _("未通过")
    return {
        "rule": decision.get("rule", ""),
        "title": title,
        "law": decision.get("law", ""),
        "status_tag": decision.get("status_tag", ""),
        "needs_legal_review": decision.get("needs_legal_review", False),
        "passed": bool(decision.get("passed")),
        "quorum_met": bool(decision.get("quorum_met")),
        "outcome": outcome,
        "conditions": conditions,
    }


def _rounds(tally: dict, labels: dict[int, str]) -> list[dict]:
    return [
        {
            "number": number,
            "counts": [
                {"label": labels.get(option_id, str(option_id)), "heads": heads}
                for option_id, heads in r["counts"]
            ],
            "eliminated": "、".join(labels.get(i, str(i)) for i in r["eliminated"]),
            "exhausted": r["exhausted"],
        }
        for number, r in enumerate(tally.get("rounds") or [], start=1)
    ]


def tally_sheet(ballot: Ballot) -> dict:
    """Everything a tally sheet prints, from the frozen result when there is one."""
    published = _published(ballot)
    tally = (
        published.result
        if published is not None
        else tally_as_dict(ballot, ballot_tally(ballot))
    )
    area_weighted = tally["roll"]["area_m2"] is not None
    by_channel = {row["channel"]: row for row in tally["by_channel"]}
    channels = [
        *SHEET_CHANNELS,
        *sorted(set(by_channel) - set(SHEET_CHANNELS)),
    ]
    zero_area = "0.00" if area_weighted else None
    labels = {o["id"]: o["label"] for o in tally["options"]}
    winners = tally.get("winners") or []
    return {
        "ballot_id": ballot.pk,
        "title": tally["title"],
        "community": ballot.community.name,
        "community_code": ballot.community.code,
        "compound": ballot.compound.name if ballot.compound_id else "",
        "kind": _kind_labels().get(tally["kind"], tally["kind"]),
        "seats": ballot.seats if tally["kind"] == "election" else None,
        "secrecy": str(Ballot.Secrecy(tally["secrecy"]).label),
        "basis": _basis_labels().get(ballot.basis, ballot.basis),
        "consultative": bool(tally["consultative"]),
        "area_weighted": area_weighted,
        "roll": tally["roll"],
        "participation": tally["participation"],
        "options": [
            {
                "label": o["label"],
                "heads": o["heads"],
                "area_m2": o["area_m2"],
                "note": _option_note(o, tally["kind"], winners),
            }
            for o in tally["options"]
        ],
        "channels": [
            {
                "label": channel_label(channel),
                "heads": by_channel.get(channel, {}).get("heads", 0),
                "area_m2": by_channel.get(channel, {}).get("area_m2", zero_area),
            }
            for channel in channels
        ],
        "runoff_needed": bool(tally.get("runoff_needed")),
        "rounds": _rounds(tally, labels),
        "decision": _decision(tally.get("decision")),
        "published": published is not None,
        "official": bool(published and published.official),
        "published_at": _local(published.published_at) if published else "",
        "sha256": published.sha256 if published else "",
        "status": str(Ballot.Status(ballot.status).label),
        "printed_at": _local(timezone.now()),
    }


# --- PDF -----------------------------------------------------------------------------


def _static_file(url: str) -> Path | None:
    """The file behind one of our own static URLs, or None for anything else.

    Found by the staticfiles finders (the source files), so it works the same with
    or without collectstatic and whatever names the static storage hashes in.
    """
    if not url.startswith(PDF_STATIC_URL):
        return None
    relative = url[len(PDF_STATIC_URL) :].split("?")[0].split("#")[0]
    if not relative or ".." in relative.split("/") or relative.startswith("/"):
        return None
    found = finders.find(relative)
    return Path(found) if found else None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        """data: URIs (decoded locally) and our own static files; nothing else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_file(url)
            if path is None:
                raise ValueError(f"refused (not ours): {url[:200]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": mime}
            )

    return LocalOnlyFetcher(allowed_protocols=("data", "http", "https"))


def _css_string(text: str) -> str:
    """A CSS string literal for @page content (the template cannot escape for CSS)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def tally_sheet_html(sheet: dict, *, ballot_url: str) -> str:
    from django.utils.safestring import mark_safe

    context = {
        "sheet": sheet,
        "ballot_url": ballot_url,
        "qr": qr_data_uri(ballot_url),
        "stylesheet": PDF_STYLESHEET,
        "css_banner": mark_safe(_css_string(_("本结果为征询性质，不作为正式表决"))),
        "css_running_title": mark_safe(
            _css_string(_("计票表 · 投票编号 %(id)s") % {"id": sheet["ballot_id"]})
        ),
        "css_page_before": mark_safe(_css_string(_("第 "))),
        "css_page_middle": mark_safe(_css_string(_(" 页 共 "))),
        "css_page_after": mark_safe(_css_string(_(" 页"))),
    }
    return render_to_string("consultation/ballots/tally_sheet_pdf.html", context)


def tally_sheet_pdf(sheet: dict, *, ballot_url: str) -> bytes:
    from weasyprint import HTML

    html = tally_sheet_html(sheet, ballot_url=ballot_url)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher()).write_pdf()


# --- spreadsheets --------------------------------------------------------------------

AREA_FORMAT = "0.00"


def _cell_text(value):
    """CSV text a spreadsheet must not read as a formula (a name may start with '=')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


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
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = _("计票表")
    ws.column_dimensions["A"].width = 34
    for column in "BCDEFGH":
        ws.column_dimensions[column].width = 18
    w = _SheetWriter(ws)
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
    w.row(_("参加人数占比"), sheet["participation"]["heads_share"] or "—")
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
    decision = sheet["decision"]
    if decision:
        w.blank()
        if decision.get("error"):
            w.row(_("表决规则"), decision["error"])
        else:
            w.row(_("表决规则"), decision["title"], bold=True)
            w.row(_("法律依据"), decision["law"])
            w.row(
                _("条件"),
                _("类别"),
                _("分子"),
                _("分母"),
                _("实际比例"),
                _("比较"),
                _("规定比例"),
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
                    c["comparator"],
                    c["required"],
                    c["holds_label"],
                )
            w.row(_("表决结果"), decision["outcome"], bold=True)
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
    return _workbook_bytes(workbook)


# --- who voted -----------------------------------------------------------------------


@dataclass(frozen=True)
class VoterList:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


def _member_names(entries: list[dict]) -> dict[str, str]:
    """Roll key → name: the voter, else the co-owners, else the developer."""
    person_ids = set()
    developer_ids = set()
    for entry in entries:
        if entry["voter_id"]:
            person_ids.add(entry["voter_id"])
        else:
            person_ids.update(entry["person_ids"] or [])
        if entry["key"].startswith("dev:") and entry["key"][4:].isdigit():
            developer_ids.add(int(entry["key"][4:]))
    people = dict(
        Person.objects.filter(pk__in=person_ids).values_list("pk", "full_name")
    )
    developers = dict(
        Developer.objects.filter(pk__in=developer_ids).values_list("pk", "name")
    )
    names = {}
    for entry in entries:
        key = entry["key"]
        if entry["voter_id"]:
            name = people.get(entry["voter_id"], "")
        elif key.startswith("dev:") and key[4:].isdigit():
            name = developers.get(int(key[4:]), "")
        else:
            name = "、".join(people.get(i, "") for i in entry["person_ids"] or [])
        names[key] = name or key
    return names


def _choice_text(selection: dict | None, labels: dict[int, str]) -> str:
    if not selection:
        return _("空白票")
    if "ranking" in selection:
        return " > ".join(
            f"{rank}. {labels.get(i, i)}"
            for rank, i in enumerate(selection["ranking"], start=1)
        )
    if "ratings" in selection:
        return "；".join(
            f"{labels.get(int(i), i)}: {score}"
            for i, score in selection["ratings"].items()
        )
    options = selection.get("options") or []
    return "、".join(str(labels.get(i, i)) for i in options) or str(_("空白票"))


def voter_list(ballot: Ballot, *, with_choices: bool) -> VoterList:
    """Who voted. With choices (a named ballot whose tally may be seen): every roll
    member, voted or not. Otherwise only those who took part, and never a choice."""
    with_choices = with_choices and not ballot.is_secret
    entries = list(
        RollEntry.objects.filter(ballot=ballot)
        .order_by("key")
        .values("id", "key", "voter_id", "person_ids")
    )
    votes = {
        entry_id: (channel, selection)
        for entry_id, channel, selection in Participation.objects.filter(
            ballot=ballot
        ).values_list("entry_id", "channel", "selection")
    }
    names = _member_names(entries)
    if with_choices:
        labels = dict(
            BallotOption.objects.filter(ballot=ballot).values_list("pk", "label")
        )
        rows = []
        for entry in entries:
            channel, selection = votes.get(entry["id"], (None, None))
            rows.append(
                (
                    names[entry["key"]],
                    entry["key"],
                    channel_label(channel) if channel else str(_("未投票")),
                    _choice_text(selection, labels) if channel else "",
                )
            )
        headers = (_("姓名"), _("名册编号"), _("投票方式"), _("选择"))
    else:
        # Roll-key order, never the order of voting (secret papers have no time).
        rows = [
            (names[e["key"]], e["key"], channel_label(votes[e["id"]][0]))
            for e in entries
            if e["id"] in votes
        ]
        headers = (_("姓名"), _("名册编号"), _("投票方式"))
    return VoterList(headers=tuple(str(h) for h in headers), rows=rows)


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


def voter_list_csv(voters: VoterList) -> bytes:
    buffer = io.StringIO()
    # A BOM so that Excel opens the UTF-8 Chinese text correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(voters.headers)
    for row in voters.rows:
        writer.writerow([_cell_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


# --- the published-tally API ---------------------------------------------------------


class ApiError(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def published_ballots(community_code: str = ""):
    """Published ballots, newest first; the frozen result itself is not loaded."""
    ballots = (
        Ballot.objects.filter(
            status=Ballot.Status.PUBLISHED, published_tally__isnull=False
        )
        .select_related("community", "compound", "published_tally")
        .defer("published_tally__result", "description", "roll_problems")
        .order_by("-published_tally__published_at", "-pk")
    )
    if community_code:
        ballots = ballots.filter(community__code=community_code)
    return ballots


def _positive_int(raw: str | None, default: int, name: str) -> int:
    if raw in (None, ""):
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise ApiError(
            _("参数 %(name)s 须为正整数。 %(name)s must be a positive integer.")
            % {"name": name},
            400,
        )
    return int(raw)


def api_ballot_page(params, *, absolute) -> dict:
    """One page of published ballots; `absolute(path)` builds an absolute URL."""
    from django.urls import reverse
    from django.utils.http import urlencode

    page_number = _positive_int(params.get("page"), 1, "page")
    size = min(_positive_int(params.get("page_size"), API_PAGE_SIZE, "page_size"), 100)
    community = (params.get("community") or "").strip()[:32]
    paginator = Paginator(published_ballots(community), size)
    if page_number > paginator.num_pages:
        raise ApiError(_("没有这一页。 No such page."), 404)
    page = paginator.page(page_number)

    def link(number: int) -> str:
        query = {"page": number, "page_size": size}
        if community:
            query["community"] = community
        return absolute(reverse("ballot_exports:api_ballots") + "?" + urlencode(query))

    return {
        "count": paginator.count,
        "page": page_number,
        "pages": paginator.num_pages,
        "page_size": size,
        "next": link(page_number + 1) if page.has_next() else None,
        "previous": link(page_number - 1) if page.has_previous() else None,
        "results": [_api_ballot(ballot, absolute) for ballot in page.object_list],
    }


def _api_ballot(ballot: Ballot, absolute) -> dict:
    from django.urls import reverse

    published = ballot.published_tally
    return {
        "id": ballot.pk,
        "title": ballot.title,
        "kind": ballot.kind,
        "secrecy": ballot.secrecy,
        "consultative": ballot.consultative,
        "community": {"code": ballot.community.code, "name": ballot.community.name},
        "compound": (
            {"id": ballot.compound_id, "name": ballot.compound.name}
            if ballot.compound_id
            else None
        ),
        "published_at": published.published_at.isoformat(),
        "passed": published.passed,
        "quorum_met": published.quorum_met,
        "official": published.official,
        "sha256": published.sha256,
        "links": {
            "page": absolute(reverse("ballots:ballot", args=[ballot.pk])),
            "tally": absolute(reverse("ballot_exports:api_tally", args=[ballot.pk])),
            "pdf": absolute(reverse("ballot_exports:tally_pdf", args=[ballot.pk])),
            "xlsx": absolute(reverse("ballot_exports:tally_xlsx", args=[ballot.pk])),
        },
    }


def api_published_tally(ballot_id: int) -> dict:
    """The frozen result of a published ballot; ApiError(404) for any other ballot."""
    published = (
        PublishedTally.objects.select_related("ballot")
        .filter(ballot_id=ballot_id, ballot__status=Ballot.Status.PUBLISHED)
        .first()
    )
    if published is None:
        raise ApiError(
            _("没有已公布的计票结果。 No published tally for this ballot."), 404
        )
    return {
        "ballot": ballot_id,
        "published_at": published.published_at.isoformat(),
        "sha256": published.sha256,
        "passed": published.passed,
        "quorum_met": published.quorum_met,
        "official": published.official,
        "result": published.result,
    }
