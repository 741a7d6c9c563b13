"""The changes docs/benchmarks.md proposes, applied to a running copy for comparison.

`tests.bench.proposed_asgi:application` serves the code with `apply()` done, so that
one `make bench` run measures the code as it is and as proposed, side by side;
test_tally_speed times `ballot_tally` below next to the real one. Nothing here runs
outside the benchmarks; each function names the file it stands for.
"""

from __future__ import annotations

import threading
from typing import ClassVar


def ballot_tally(ballot):
    """consultation/selectors.py: PostgreSQL adds up identical papers first.

    `tally` is linear in the papers' weights, so one record per distinct
    (selection, channel) with the summed heads and area gives the same result: a
    motion reads a dozen rows instead of 10,000.
    """
    from django.db.models import Sum

    from consultation import selectors
    from consultation.domain.ballots import PaperRecord, tally
    from consultation.models import Participation

    if ballot.is_secret:  # secret papers have rules of their own: today's path
        return _ORIGINAL.get("ballot_tally", selectors.ballot_tally)(ballot)
    rows = (
        Participation.objects.filter(ballot=ballot)
        .values_list("selection", "channel")
        .annotate(heads=Sum("heads"), area=Sum("area"))
        .order_by()
    )
    return tally(
        selectors.ballot_spec(ballot),
        (
            PaperRecord(selection=s, heads=h, area=a, channel=c)
            for s, c, h, a in rows.iterator(chunk_size=selectors.TALLY_CHUNK)
        ),
    )


_OPTIONS: dict[int, list] = {}  # ballot id → its options (fixed once it is open)


def vote_cast(
    *,
    ballot_id: int,
    voter,
    selection,
    idempotency_key: str = "",
    channel: str = "online",
):
    """consultation/services.py: insert first, check only when the insert conflicts.

    A first vote (nearly every vote) needs no look-up of an earlier participation or
    idempotency key: the unique constraints refuse a second one anyway. So the fast
    path is lock, roll entry, INSERT, COMMIT (no SAVEPOINT). When the INSERT hits a
    constraint, its transaction is rolled back and today's `vote_cast` runs, which
    replays the earlier answer, refuses with 409 and records the conflict, or 422s a
    reused key, exactly as now. Secret ballots keep today's path unchanged.
    """
    from django.db import IntegrityError

    kwargs = {
        "ballot_id": ballot_id,
        "voter": voter,
        "selection": selection,
        "idempotency_key": idempotency_key,
        "channel": channel,
    }
    try:
        result = _vote_fast(**kwargs)
    except IntegrityError:
        result = None
    if result is None:
        return _ORIGINAL["vote_cast"](**kwargs)
    return result


def _vote_fast(*, ballot_id, voter, selection, idempotency_key, channel):
    from django.db import transaction
    from django.http import Http404

    from consultation import services
    from consultation.models import Participation

    with transaction.atomic():
        try:
            ballot = services._lock_ballot(ballot_id, exclusive=False)
        except IndexError:  # FOR SHARE through .raw(...)[0]: no such ballot
            raise Http404 from None
        if ballot.is_secret:
            return None
        services._require_open(ballot)
        entry = services._entry_for_voter(ballot, voter)
        if ballot.pk in _OPTIONS:
            ballot._option_cache = _OPTIONS[ballot.pk]
        normalised = services._normalise(ballot, selection)
        _OPTIONS.setdefault(ballot.pk, ballot._option_cache)
        participation = Participation.objects.create(
            ballot=ballot,
            entry=entry,
            channel=channel,
            selection=normalised,
            heads=entry.heads,
            area=entry.area,
            cast_by=voter,
            idempotency_key=idempotency_key,
            request_fingerprint=services._fingerprint(entry.key, channel, normalised),
        )
        services._announce(ballot.pk)
        return services.VoteResult(participation_id=participation.pk, receipt=None)


_ORIGINAL: dict[str, object] = {}


def ballot_vote(request, ballot_id: int):
    """consultation/views.py: read the ballot only to render a refusal page.

    Today's `ballot_vote` (keep the two in step) but for one thing: it loads the
    ballot with its community (a JOIN over ~40 columns, 18 % of a worker's CPU per
    vote in py-spy) before the service loads it again under its lock. A JSON vote
    needs neither: the service answers 404 itself when the ballot does not exist
    (here: `_vote_fast` raises Http404).
    """
    from django.utils.translation import gettext as _

    from consultation import services, views
    from consultation.forms import FormError

    json_body = request.content_type == "application/json"
    ballot = None if json_body else views._ballot(ballot_id)
    person = views._person(request)
    if person is None:
        message = _(
            "您的账号未关联居民信息。 Your account is not linked to a resident."
        )
        return views._refuse(request, ballot, message, 403, "not_on_roll")
    try:
        selection, key = views._vote_input(request, ballot)
        result = services.vote_cast(
            ballot_id=ballot_id, voter=person, selection=selection, idempotency_key=key
        )
    except services.BallotError as error:
        return views._refuse(request, ballot, error.message, error.status, error.code)
    except (FormError, ValueError, RecursionError) as error:
        status = views._form_status(error)
        return views._refuse(request, ballot, _(views.BAD_FORM), status, "bad_form")
    if ballot is None:
        return views.JsonResponse(
            {"ok": True, "receipt": result.receipt, "replayed": result.replayed},
            status=200 if result.replayed else 201,
        )
    return _render_recorded(request, ballot, result)


def _render_recorded(request, ballot, result):
    from django.shortcuts import render

    from consultation import views

    if views._wants_json(request):
        return views.JsonResponse(
            {"ok": True, "receipt": result.receipt, "replayed": result.replayed},
            status=200 if result.replayed else 201,
        )
    return render(
        request,
        "consultation/vote_recorded.html",
        {"ballot": ballot, "result": result},
        status=200 if result.replayed else 201,
    )


class SharedConnectionPool:
    """site/settings/base.py + a small yishi/cache.py: one Redis pool per process.

    Django keeps a cache backend per thread, and under ASGI every request runs in a
    new thread: each vote built a new RedisCache, a new redis-py pool and a new TCP
    connection to Redis (1,065 connections for 1,000 votes; 9 % of a worker's CPU,
    a third of it importlib.metadata looking up redis-py's version for the
    connection's client info). CACHES OPTIONS {"pool_class": this} shares one pool.
    """

    _pools: ClassVar[dict] = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **options):
        import redis

        key = (url, tuple(sorted((k, repr(v)) for k, v in options.items())))
        with cls._lock:
            if key not in cls._pools:
                cls._pools[key] = redis.ConnectionPool.from_url(url, **options)
            return cls._pools[key]


def apply() -> None:
    from django.contrib.auth.decorators import login_required
    from django.urls import clear_url_caches, resolve
    from django.views.decorators.http import require_POST

    from consultation import selectors, services, views

    # Fail loudly if the code moved on: a patch that replaces nothing measures nothing.
    assert callable(selectors.ballot_tally)
    assert callable(services.vote_cast)
    _ORIGINAL["vote_cast"] = services.vote_cast
    services.vote_cast = vote_cast  # the view calls services.vote_cast
    views.ballot_vote = require_POST(login_required(ballot_vote))
    # events.ballot_payloads imports ballot_tally from selectors each time it runs.
    _ORIGINAL["ballot_tally"] = selectors.ballot_tally
    selectors.ballot_tally = ballot_tally
    services.ballot_tally = ballot_tally  # ballot_publish
    # The URLconf is imported at the first request, after this: check it took.
    clear_url_caches()
    assert resolve("/ballots/1/vote/").func is views.ballot_vote


class SyncOnlyMiddleware:
    """site/settings/base.py: MIDDLEWARE ends with a sync-only middleware.

    Under ASGI Django runs each middleware in the mode of the handler below it. The
    view handler is async, so every middleware below the project's sync-only
    ContentSecurityPolicyMiddleware runs in async mode, and MiddlewareMixin then
    hops to a worker thread and back for each process_request/process_response:
    about 17 thread hand-offs per request. One sync-only middleware at the bottom
    puts the whole chain in sync mode: one hop in, one out, one for the view.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
