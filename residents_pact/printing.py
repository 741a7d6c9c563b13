"""The pact in force as an A4 booklet and as an A4 poster with a QR code to the
online text, through the project's one PDF helper (WeasyPrint, no network, Noto
Sans CJK SC; `consultation.ballots.exports.pdf`, as the disclosure notices)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from consultation.ballots.exports.pdf import (
    PDF_STATIC_URL,
    css_string,
    qr_data_uri,
    render_pdf,
)

from .domain.kinds import adoption_of
from .selectors import article_views

STYLESHEET = PDF_STATIC_URL + "residents_pact/pact_print.css"


def _context(page, version, url: str) -> dict:
    return {
        "page": page,
        "version": version,
        "articles": article_views(version),
        "adoption": adoption_of(page.kind),
        "filing": getattr(version, "filing", None),
        "url": url,
        "qr": qr_data_uri(url),
        "stylesheet": STYLESHEET,
        "printed_on": timezone.localdate().isoformat(),
        "css_running_title": mark_safe(css_string(page.title)),
        "css_page_before": mark_safe(css_string(_("第 "))),
        "css_page_middle": mark_safe(css_string(_(" 页 共 "))),
        "css_page_after": mark_safe(css_string(_(" 页"))),
    }


def booklet_html(page, version, *, url: str) -> str:
    return render_to_string(
        "residents_pact/booklet_pdf.html", _context(page, version, url)
    )


def booklet_pdf(page, version, *, url: str) -> bytes:
    return render_pdf(booklet_html(page, version, url=url))


def poster_pdf(page, version, *, url: str) -> bytes:
    return render_pdf(
        render_to_string("residents_pact/poster_pdf.html", _context(page, version, url))
    )
