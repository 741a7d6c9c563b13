"""The published-tally JSON API (docs/api.md): what it answers, built from the record.

Published ballots only, from their frozen ``PublishedTally`` (never a recount), with
the sha256 anybody can check (``tally_sha256``). Everything here reads; nothing
writes. A ballot that is not published answers exactly like a missing one. The views
are in ``api_views``; the URLs (namespace ``ballot_exports``) in ``export_urls``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from yishi.converters import ascii_digits

from .domain.published import tally_sha256
from .models import Ballot, PublishedTally

__all__ = [
    "API_MAX_PAGE_SIZE",
    "API_PAGE_SIZE",
    "ApiError",
    "ballot_page",
    "published_ballots",
    "published_tally",
    "tally_sha256",
]

API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100

Absolute = Callable[
    [str], str
]  # a path → the absolute URL (request.build_absolute_uri)


class ApiError(Exception):
    """A refusal with its HTTP status; ``message`` is Chinese, then English."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def published_ballots(community_code: str = "") -> QuerySet[Ballot]:
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
    if not ascii_digits(raw) or int(raw) < 1:
        raise ApiError(
            _("参数 %(name)s 须为正整数。 %(name)s must be a positive integer.")
            % {"name": name},
            400,
        )
    return int(raw)


def ballot_page(params: Mapping[str, str], *, absolute: Absolute) -> dict:
    """One page of published ballots (``GET /api/ballots/``)."""
    page_number = _positive_int(params.get("page"), 1, "page")
    size = min(
        _positive_int(params.get("page_size"), API_PAGE_SIZE, "page_size"),
        API_MAX_PAGE_SIZE,
    )
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
        "results": [_ballot_item(ballot, absolute) for ballot in page.object_list],
    }


def _ballot_item(ballot: Ballot, absolute: Absolute) -> dict:
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


def published_tally(ballot_id: int) -> dict:
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
