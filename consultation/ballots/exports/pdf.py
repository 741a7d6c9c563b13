"""The tally sheet as an A4 PDF (Chinese, QR code back to the ballot's page).

Rendered by WeasyPrint with a fetcher that loads nothing but data: URIs and our own
static files: no network, whatever a title or a label contains.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# WeasyPrint resolves relative URLs against this origin; `.invalid` never resolves
# (RFC 2606), so nothing the fetcher refuses can reach a network either.
PDF_BASE_URL = "http://yishi.invalid/"
PDF_STATIC_URL = PDF_BASE_URL + "static/"
PDF_STYLESHEET = PDF_STATIC_URL + "consultation/tally_sheet_print.css"


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
    """A CSS string literal for @page content (the template cannot escape for CSS):
    backslash and quote escaped, and `<` and line breaks written as CSS escapes, so
    that no text (a title typed by a resident) can end the string or the <style>."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    for raw, escaped in (("<", "\\3c "), ("\n", "\\a "), ("\r", "\\d ")):
        text = text.replace(raw, escaped)
    return '"' + text + '"'


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


def render_pdf(html: str) -> bytes:
    """Any printed document of the project: HTML to PDF, loading nothing but data:
    URIs and our own static files (the disclosure notices use it too)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=_fetcher()).write_pdf()


def css_string(text: str) -> str:
    return _css_string(text)


def tally_sheet_pdf(sheet: dict, *, ballot_url: str) -> bytes:
    return render_pdf(tally_sheet_html(sheet, ballot_url=ballot_url))
