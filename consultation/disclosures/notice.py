"""A disclosure as an A4 Chinese notice for the paper board (公示栏): title, text,
display period, attachments by hash, space for the seal, a QR code linking to the
online record, page numbers. Rendered by the project's one PDF helper
(`consultation.ballots.exports.pdf`: WeasyPrint, no network, Noto Sans CJK SC)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from consultation.ballots.exports.pdf import (
    PDF_STATIC_URL,
    css_string,
    qr_data_uri,
    render_pdf,
)

from .dates import local_day
from .domain.content import iso_time

STYLESHEET = PDF_STATIC_URL + "consultation/disclosure_notice_print.css"


def notice_html(context: dict, *, record_url: str) -> str:
    entry = context["entry"]
    running = _("居务公开 · %(community)s · 第 %(seq)s 条") % {
        "community": entry.community.name,
        "seq": entry.seq or "—",
    }
    return render_to_string(
        "consultation/disclosures/notice_pdf.html",
        {
            **context,
            "record_url": record_url,
            "qr": qr_data_uri(record_url),
            "stylesheet": STYLESHEET,
            "published_at": iso_time(entry.published_at) if entry.published_at else "",
            "printed_on": local_day().isoformat(),
            "css_running_title": mark_safe(css_string(running)),
            "css_page_before": mark_safe(css_string(_("第 "))),
            "css_page_middle": mark_safe(css_string(_(" 页 共 "))),
            "css_page_after": mark_safe(css_string(_(" 页"))),
        },
    )


def notice_pdf(context: dict, *, record_url: str) -> bytes:
    return render_pdf(notice_html(context, record_url=record_url))
