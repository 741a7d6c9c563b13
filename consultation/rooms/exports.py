"""A meeting's minutes printed: an A4 Chinese PDF (WeasyPrint through the project's
one PDF helper, as the records' notices), with attendance, the members' signatures
and a QR code back to the room."""

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
from consultation.records.models import MeetingAttendance

from .models import Room

STYLESHEET = PDF_STATIC_URL + "consultation/disclosure_notice_print.css"


def minutes_pdf(room: Room, *, room_url: str) -> bytes:
    signatures = MeetingAttendance.objects.filter(
        meeting_id=room.pk, present=True
    ).select_related("person")
    running = _("会议纪要 · %(title)s") % {"title": room.title[:40]}
    html = render_to_string(
        "consultation/rooms/minutes_pdf.html",
        {
            "room": room,
            "signatures": signatures,
            "qr": qr_data_uri(room_url),
            "room_url": room_url,
            "stylesheet": STYLESHEET,
            "css_running_title": mark_safe(css_string(running)),
            "css_page_before": mark_safe(css_string(_("第 "))),
            "css_page_middle": mark_safe(css_string(_(" 页 共 "))),
            "css_page_after": mark_safe(css_string(_(" 页"))),
        },
    )
    return render_pdf(html)
