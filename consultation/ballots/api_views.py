"""Views of the published-tally JSON API (docs/api.md): read-only, no login needed.

Each view parses, calls one function of ``api`` and answers JSON in UTF-8; a refusal
is ``{"error": "中文。 English."}`` with its status.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from . import api


def _json(payload: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        payload, status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 200:
        response["Cache-Control"] = "public, max-age=60"
    return response


@require_safe
def api_ballots(request):
    """``GET /api/ballots/``: one page of published ballots."""
    try:
        payload = api.ballot_page(request.GET, absolute=request.build_absolute_uri)
    except api.ApiError as error:
        return _json({"error": error.message}, error.status)
    return _json(payload)


@require_safe
def api_tally(request, ballot_id: int):
    """``GET /api/ballots/<id>/tally.json``: one ballot's frozen result."""
    try:
        payload = api.published_tally(ballot_id)
    except api.ApiError as error:
        return _json({"error": error.message}, error.status)
    return _json(payload)
