"""Which refusals bring a form back with what was typed.

A service refuses with an HTTP status. A refusal of what was sent — 400 (malformed),
413 (too large), 415 (a file of another kind), 422 (refused content) — shows the
form's page again with the message and the input as sent, so nothing typed is lost.
A refusal of the person (403) or of the moment (409: another step is now due, the
period has ended) keeps the capability's refusal page: the input may no longer
belong in that form. Each capability renders its own page; this module only
decides which refusals do so and what is echoed.
"""

from __future__ import annotations

FORM_STATUSES = frozenset({400, 413, 415, 422})


def shows_form_again(status: int) -> bool:
    """Whether a refusal with this status shows the form again with its input."""
    return status in FORM_STATUSES


def typed_of(request, limit: int) -> dict[str, str]:
    """What a refused form sent, each value cut at `limit` (the service's own limit
    or above it: never more than a field could hold is echoed)."""
    return {key: value[:limit] for key, value in request.POST.items()}
