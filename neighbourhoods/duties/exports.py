"""Printed and downloaded documents of community duties: the certificate (A4,
QR code to its public check page), the polite refusal notices (a task not
admitted; a certificate not on the list, naming the department responsible) and
the burden board as XLSX. PDFs through the project's one helper (WeasyPrint, no
network, Noto Sans CJK SC); XLSX through openpyxl."""

from __future__ import annotations

from io import BytesIO

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from consultation.ballots.exports.pdf import (
    PDF_STATIC_URL,
    css_string,
    qr_data_uri,
    render_pdf,
)

from .domain.burden import SERIES
from .services.common import local_day

STYLESHEET = PDF_STATIC_URL + "consultation/disclosure_notice_print.css"
TEMPLATE = "neighbourhoods/duties/notice_pdf.html"

# The policy a refusal cites, in its own words.
POLICY = (
    "民政部、中央组织部《关于进一步开展社区减负工作的通知》（民发〔2015〕136号）",
    "《关于改进和规范基层群众性自治组织出具证明工作的指导意见》",
)


def _html(context: dict, *, url: str, running: str) -> str:
    return render_to_string(
        TEMPLATE,
        {
            **context,
            "url": url,
            "qr": qr_data_uri(url),
            "stylesheet": STYLESHEET,
            "policy": POLICY,
            "printed_on": local_day().isoformat(),
            "css_running_title": mark_safe(css_string(running)),
        },
    )


def certificate_pdf(certificate, *, check_url: str) -> bytes:
    running = _("证明 · %(number)s") % {"number": certificate.number}
    context = {"kind": "certificate", "certificate": certificate}
    return render_pdf(_html(context, url=check_url, running=running))


def certificate_refusal_pdf(refusal, *, url: str) -> bytes:
    running = _("告知书 · %(number)s") % {"number": refusal.number}
    context = {"kind": "certificate_refusal", "refusal": refusal}
    return render_pdf(_html(context, url=url, running=running))


def task_refusal_pdf(refusal, *, url: str, lists_url: str) -> bytes:
    running = _("告知书 · %(number)s") % {"number": refusal.number}
    context = {"kind": "task_refusal", "refusal": refusal, "lists_url": lists_url}
    return render_pdf(_html(context, url=url, running=running))


SERIES_LABELS = {
    "admitted": _("准入事项"),
    "refused": _("不予准入/不予承接"),
    "meetings": _("召集会议"),
    "ledgers": _("报送台账"),
    "certificates_issued": _("出具证明"),
    "certificates_refused": _("不予出具证明"),
}


def burden_xlsx(board: dict) -> bytes:
    """One sheet: a row per community, month and series; then the district's
    totals. No personal data: counts only."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("减负监测")
    sheet.append([_("社区"), _("项目"), *board["months"]])
    for row in board["rows"]:
        for name in SERIES:
            label = str(SERIES_LABELS[name])
            sheet.append([row["community"].name, label, *row["series"][name]])
    for name in SERIES:
        label = str(SERIES_LABELS[name])
        sheet.append([_("全区合计"), label, *board["totals"][name]])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
