"""A matter's records printed: each step record as an A4 notice for the paper board,
the whole dossier (proposal, every step record, ballots, disclosures and their
objections) as one PDF, and a ZIP of its documents for a dispute a year later.

Rendered by the project's one PDF helper (`consultation.ballots.exports.pdf`:
WeasyPrint, no network, Noto Sans CJK SC) with the disclosure notices' stylesheet.
The ZIP holds private files (attachments, scanned sign-in sheets): the caller
passes the permission answers, and only what the reader may open goes in.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from consultation.ballots.exports.pdf import (
    PDF_STATIC_URL,
    css_string,
    qr_data_uri,
    render_pdf,
)
from consultation.disclosures.dates import local_day
from yishi.privacy import scrub

STYLESHEET = PDF_STATIC_URL + "consultation/disclosure_notice_print.css"


def _html(page: dict, *, title: str, rows, record_url: str, dossier: bool) -> str:
    matter = page["matter"]
    running = _("事项记录 · %(community)s · %(title)s") % {
        "community": matter.community.name,
        "title": scrub(matter.title)[:40],
    }
    return render_to_string(
        "consultation/records/record_pdf.html",
        {
            **page,
            "title": title,
            "rows": rows,
            "dossier": dossier,
            "record_url": record_url,
            "qr": qr_data_uri(record_url),
            "stylesheet": STYLESHEET,
            "printed_on": local_day().isoformat(),
            "css_running_title": mark_safe(css_string(running)),
            "css_page_before": mark_safe(css_string(_("第 "))),
            "css_page_middle": mark_safe(css_string(_(" 页 共 "))),
            "css_page_after": mark_safe(css_string(_(" 页"))),
        },
    )


def step_notice_pdf(page: dict, row: dict, *, record_url: str) -> bytes:
    """One step record as an A4 notice."""
    title = f"{page['matter'].title} · {row['label'] or row['summary']}"
    return render_pdf(
        _html(page, title=title, rows=[row], record_url=record_url, dossier=False)
    )


def dossier_pdf(page: dict, *, record_url: str) -> bytes:
    """The whole dossier; `page` is the matter page with its `disclosures`."""
    return render_pdf(
        _html(
            page,
            title=page["matter"].title,
            rows=page["timeline"],
            record_url=record_url,
            dossier=True,
        )
    )


def _name(field) -> str:
    return posixpath.basename(field.name or "") or "file"


def _read(field) -> bytes | None:
    if not field:
        return None
    with field.open("rb") as handle:
        return handle.read()


def dossier_zip(
    page: dict,
    *,
    record_url: str,
    notices: dict[int, bytes],
    tally_sheets: dict[int, bytes],
    with_files: bool,
    with_sign_in_sheets: bool,
) -> bytes:
    """dossier.pdf, each step's notice, each disclosure notice (`notices`: entry id
    to PDF), the tally sheet of each ballot a step voted by (`tally_sheets`: ballot
    id to PDF) and — when the reader may open them — the attachments and the
    scanned sign-in sheets."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("dossier.pdf", dossier_pdf(page, record_url=record_url))
        for i, row in enumerate(page["timeline"], start=1):
            archive.writestr(
                f"steps/{i:02d}-{row['line'].step or row['line'].kind}.pdf",
                step_notice_pdf(page, row, record_url=record_url),
            )
            meeting = row["meeting"]
            sheet = _read(meeting.sign_in_sheet) if meeting else None
            if with_sign_in_sheets and sheet is not None:
                archive.writestr(
                    f"sign-in-sheets/{meeting.pk}-{_name(meeting.sign_in_sheet)}",
                    sheet,
                )
        for entry_id, pdf in notices.items():
            archive.writestr(f"disclosures/entry-{entry_id}.pdf", pdf)
        for ballot_id, pdf in tally_sheets.items():
            archive.writestr(f"ballots/ballot-{ballot_id}-tally.pdf", pdf)
        for attachment in page["attachments"] if with_files else ():
            data = _read(attachment.file)
            if data is not None:
                archive.writestr(
                    f"attachments/{attachment.pk}-{_name(attachment.file)}", data
                )
    return buffer.getvalue()
