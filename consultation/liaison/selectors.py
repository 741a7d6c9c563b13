"""Reads for the liaison pages, each in a fixed number of queries.

`public_statistics` reads every request in two aggregate queries (counts by state,
category and rating in one, the histogram of days to reply in the other) and keeps
the result in the cache under the statistics' version and today's date, so the
public page costs one cache read when warm. Nothing personal is read.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, Sum

from neighbourhoods.models import Community, Representative
from neighbourhoods.permissions import communities_for

from . import permissions
from .domain.lifecycle import ANSWERED, RUNNING, UNACCEPTED
from .domain.stats import median_from_counts, share
from .models import LiaisonRequest, LiaisonStation, ReceptionDay

STATS_VERSION_KEY = "liaison:stats:version"
STATS_TIMEOUT = 600
DUE_SOON_DAYS = 7
LIST_LIMIT = 50
_RUNNING = [s.value for s in RUNNING]
_ANSWERED = [s.value for s in ANSWERED]
_UNACCEPTED = [s.value for s in UNACCEPTED]


def overdue_q(today) -> Q:
    """Overdue as `domain.lifecycle.is_overdue` reads it: a running request past its
    due date, or a petition not yet accepted past its acceptance date."""
    return Q(state__in=_RUNNING, due_date__lt=today) | Q(
        state__in=_UNACCEPTED, accept_due_date__lt=today
    )


def due_soon_q(today) -> Q:
    """Not overdue, with a reply or acceptance date within `DUE_SOON_DAYS`."""
    until = today + timedelta(days=DUE_SOON_DAYS)
    reply = Q(state__in=_RUNNING, due_date__gte=today, due_date__lte=until)
    accept = Q(
        state__in=_UNACCEPTED, accept_due_date__gte=today, accept_due_date__lte=until
    )
    return (reply | accept) & ~overdue_q(today)


def _aggregate(requests, today) -> dict:
    counts = {"total": Count("pk")}
    for state in LiaisonRequest.States.values:
        counts[f"state_{state}"] = Count("pk", filter=Q(state=state))
    for category in LiaisonRequest.Category.values:
        counts[f"cat_{category}"] = Count("pk", filter=Q(category=category))
    for score in range(1, 6):
        counts[f"rating_{score}"] = Count("pk", filter=Q(rating=score))
    counts["overdue"] = Count("pk", filter=overdue_q(today))
    counts["answered"] = Count("pk", filter=Q(state__in=_ANSWERED))
    counts["rating_avg"] = Avg("rating")
    return requests.aggregate(**counts)


def statistics(requests, today) -> dict:
    """Counts, median days to reply and satisfaction of `requests` (2 queries)."""
    row = _aggregate(requests, today)
    days = dict(
        requests.filter(reply_days__isnull=False)
        .values_list("reply_days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ratings = {score: row[f"rating_{score}"] for score in range(1, 6)}
    rated = sum(ratings.values())
    median = median_from_counts(days)
    return {
        "total": row["total"],
        "answered": row["answered"],
        "overdue": row["overdue"],
        "states": [
            (label, row[f"state_{v}"]) for v, label in LiaisonRequest.States.choices
        ],
        "categories": [
            (label, row[f"cat_{v}"]) for v, label in LiaisonRequest.Category.choices
        ],
        "ratings": [(f"{score} ★", ratings[score]) for score in range(5, 0, -1)],
        "rated": rated,
        "satisfied": share(sum(ratings[s] for s in (3, 4, 5)), rated),
        "rating_avg": row["rating_avg"],
        "median_days": float(median) if median is not None else None,
    }


def stats_version() -> int:
    return cache.get(STATS_VERSION_KEY) or 0


def public_statistics(today) -> dict:
    key = f"liaison:stats:{stats_version()}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = statistics(LiaisonRequest.objects.all(), today)
        cache.set(key, found, STATS_TIMEOUT)
    return found


def community_satisfaction(community_id: int, *, since=None, until=None) -> dict:
    """Residents' ratings of the answers in a community (for the community's
    assessment by residents, issue #14): rated, satisfied (3+), mean."""
    rated = LiaisonRequest.objects.filter(
        community_id=community_id, rating__isnull=False
    )
    if since:
        rated = rated.filter(rated_at__date__gte=since)
    if until:
        rated = rated.filter(rated_at__date__lte=until)
    row = rated.aggregate(
        n=Count("pk"),
        ok=Count("pk", filter=Q(rating__gte=3)),
        mean=Avg("rating"),
        total=Sum("rating"),
    )
    return {
        "rated": row["n"],
        "satisfied": row["ok"],
        "mean": row["mean"],  # for display; `rating_sum` / `rated` is exact
        "rating_sum": row["total"] or 0,
    }


_LIST_RELATED = ("community", "representative__person", "assignee")


def request_detail(request_id) -> LiaisonRequest | None:
    return (
        LiaisonRequest.objects.select_related(
            *_LIST_RELATED,
            "station",
            "reception_day",
            "building__compound",
            "entered_by",
            "resident",
        )
        .prefetch_related("images")
        .filter(pk=request_id)
        .first()
    )


def my_requests(user) -> list[LiaisonRequest]:
    return list(
        LiaisonRequest.objects.filter(
            Q(resident=user) | Q(entered_by=user)
        ).select_related(*_LIST_RELATED)[:LIST_LIMIT]
    )


def visible_to(user):
    """Requests a handler sees: their communities', addressed to them, entered or
    assigned to them."""
    reps = permissions.representative_ids(user)
    scope = Q(community__in=communities_for(user)) | Q(representative_id__in=reps)
    return LiaisonRequest.objects.filter(scope | Q(entered_by=user) | Q(assignee=user))


def dashboard(user, today) -> dict:
    """The handler's lists: new, due soon, overdue, petitions still to be accepted
    (before their acceptance date), recently answered (5 queries)."""
    mine = visible_to(user).select_related(*_LIST_RELATED)
    return {
        "waiting": list(
            mine.filter(
                state__in=["submitted", "registered", "classified", "reopened"]
            )[:LIST_LIMIT]
        ),
        "due_soon": list(
            mine.filter(due_soon_q(today)).order_by("due_date")[:LIST_LIMIT]
        ),
        "overdue": list(
            mine.filter(overdue_q(today)).order_by("due_date")[:LIST_LIMIT]
        ),
        "to_accept": list(
            mine.filter(state__in=_UNACCEPTED, accept_due_date__gte=today).order_by(
                "accept_due_date"
            )[:LIST_LIMIT]
        ),
        "answered": list(
            mine.filter(state__in=_ANSWERED).order_by("-replied_at")[:LIST_LIMIT]
        ),
    }


def community_summary(user, today) -> dict:
    return statistics(visible_to(user), today)


def archive_page(*, query: str = "", page: str = "1"):
    """Answered requests whose residents chose a public reply, anonymised."""
    answered = (
        LiaisonRequest.objects.filter(public_reply=True, state__in=_ANSWERED)
        .select_related("community")
        .only(
            "pk", "title", "text", "reply", "category", "replied_at", "community__name"
        )
        .order_by("-replied_at", "-pk")
    )
    query = query.replace("\x00", "").strip()[:50]  # no NUL reaches the database
    if query:
        answered = answered.filter(
            Q(title__icontains=query)
            | Q(text__icontains=query)
            | Q(reply__icontains=query)
        )
    return Paginator(answered, 20).get_page(page)


def public_answer(request_id) -> LiaisonRequest | None:
    return (
        LiaisonRequest.objects.filter(
            pk=request_id, public_reply=True, state__in=_ANSWERED
        )
        .select_related("community")
        .first()
    )


def form_choices(user) -> dict:
    """What the submit form offers: representatives, communities, stations."""
    return {
        "representatives": list(
            Representative.objects.select_related("person").order_by("pk")
        ),
        "communities": list(Community.objects.order_by("name")),
        "stations": list(LiaisonStation.objects.select_related("community")),
        "categories": LiaisonRequest.Category.choices,
    }


RECEPTIONS_SHOWN = 10


def receptions_of(representative_id: int, today) -> dict:
    """A representative's coming reception days and past activities (the last half
    year and what is announced), and their stations: 2 queries."""
    days = list(
        ReceptionDay.objects.filter(
            representatives=representative_id, day__gte=today - timedelta(days=183)
        )
        .select_related("station")
        .order_by("day", "starts")
    )
    return {
        "coming": [d for d in days if d.day >= today][:RECEPTIONS_SHOWN],
        "past": [d for d in reversed(days) if d.day < today][:RECEPTIONS_SHOWN],
        "stations": list(
            LiaisonStation.objects.filter(representatives=representative_id)
        ),
    }


def reception_days_for(community_ids, today) -> list[ReceptionDay]:
    return list(
        ReceptionDay.objects.filter(
            station__community_id__in=community_ids, day__gte=today - timedelta(days=30)
        )
        .select_related("station")
        .order_by("day")[:LIST_LIMIT]
    )


def reception_for_summary(reception_id) -> ReceptionDay | None:
    """A reception day with what its summary page shows and its permission reads."""
    return (
        ReceptionDay.objects.select_related("station__community")
        .prefetch_related("representatives__person")
        .filter(pk=reception_id)
        .first()
    )


def receptions_to_summarise(user, today) -> list[ReceptionDay]:
    """Past reception days (the last 90) of the user's communities or that they
    attended as a representative, newest first."""
    reps = permissions.representative_ids(user)
    scope = Q(station__community__in=communities_for(user, edit=True)) | Q(
        representatives__in=reps
    )
    return list(
        ReceptionDay.objects.filter(
            scope, day__lte=today, day__gte=today - timedelta(days=90)
        )
        .distinct()
        .select_related("station")
        .order_by("-day")[:LIST_LIMIT]
    )
