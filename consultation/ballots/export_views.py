"""Downloads of a ballot's tally sheet (PDF, XLSX) and voter list (XLSX, CSV).

Each view parses, checks permission on the ballot, calls one function of `exports`,
and answers (the published-tally JSON API is in `api_views`). Tally sheets follow
`permissions.can_see_tally` (public once published; a hidden tally is refused to
everybody while open); voter lists are for staff.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import exports, permissions, selectors
from .models import Ballot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ballot(ballot_id: int) -> Ballot:
    ballot = selectors.ballot_or_none(ballot_id)
    if ballot is None:
        raise Http404
    return ballot


def _tally_ballot(request, ballot_id: int) -> Ballot:
    ballot = _ballot(ballot_id)
    if not permissions.can_see_tally(request.user, ballot):
        raise PermissionDenied
    return ballot


def _download(body: bytes, content_type: str, filename: str, *, public: bool):
    response = HttpResponse(body, content_type=content_type)
    disposition = "inline" if content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # A published sheet is the same for everybody; anything else is not to be kept.
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


def _ballot_url(request, ballot: Ballot) -> str:
    """The online ballot page, absolute (printed and encoded in the QR code)."""
    return request.build_absolute_uri(reverse("ballots:ballot", args=[ballot.pk]))


@require_safe
def tally_pdf(request, ballot_id: int):
    ballot = _tally_ballot(request, ballot_id)
    sheet = exports.tally_sheet(ballot)
    pdf = exports.tally_sheet_pdf(sheet, ballot_url=_ballot_url(request, ballot))
    name = f"ballot-{ballot.pk}-tally.pdf"
    return _download(pdf, "application/pdf", name, public=sheet["published"])


@require_safe
def tally_xlsx(request, ballot_id: int):
    ballot = _tally_ballot(request, ballot_id)
    sheet = exports.tally_sheet(ballot)
    body = exports.tally_sheet_xlsx(sheet, ballot_url=_ballot_url(request, ballot))
    name = f"ballot-{ballot.pk}-tally.xlsx"
    return _download(body, XLSX, name, public=sheet["published"])


def _voters(request, ballot_id: int):
    ballot = _ballot(ballot_id)
    if not permissions.can_manage_ballot(request.user, ballot):
        raise PermissionDenied
    # Choices only where the tally may be seen: a named ballot's choices would
    # otherwise give away a tally hidden until close.
    with_choices = permissions.can_see_tally(request.user, ballot)
    return ballot, exports.voter_list(ballot, with_choices=with_choices)


@require_safe
@login_required
def voters_xlsx(request, ballot_id: int):
    ballot, voters = _voters(request, ballot_id)
    body = exports.voter_list_xlsx(ballot, voters)
    return _download(body, XLSX, f"ballot-{ballot.pk}-voters.xlsx", public=False)


@require_safe
@login_required
def voters_csv(request, ballot_id: int):
    ballot, voters = _voters(request, ballot_id)
    body = exports.voter_list_csv(voters)
    content_type = "text/csv; charset=utf-8"
    return _download(body, content_type, f"ballot-{ballot.pk}-voters.csv", public=False)
