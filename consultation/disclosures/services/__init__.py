"""Disclosure services: the only code that writes disclosures, objections, notices.

Keyword-only, atomic, locking what they change, asking `domain` whether the change
is allowed and `permissions` whether the actor may (None: the system), writing an
audit line. `now` may be passed (the demo, tests); otherwise it is the clock.

    settings.py        a community's disclosure settings
    drafting.py        draft, update, submit for review, review
    publishing.py      publish into the chain, redact
    objections.py      objections, replies, escalation notices
    ballot_results.py  a published ballot's result disclosed in one action
"""

from .ballot_results import ballot_result_disclose
from .drafting import (
    attachment_store,
    disclosure_draft,
    disclosure_review,
    disclosure_submit,
    disclosure_update,
)
from .errors import (
    DisclosureError,
    DisclosureForbidden,
    DisclosureNotFound,
    DisclosureStateError,
)
from .objections import escalations_notify, objection_file, objection_reply
from .publishing import disclosure_publish, disclosure_redact
from .settings import disclosure_settings_of, disclosure_settings_update

__all__ = [
    "DisclosureError",
    "DisclosureForbidden",
    "DisclosureNotFound",
    "DisclosureStateError",
    "attachment_store",
    "ballot_result_disclose",
    "disclosure_draft",
    "disclosure_publish",
    "disclosure_redact",
    "disclosure_review",
    "disclosure_settings_of",
    "disclosure_settings_update",
    "disclosure_submit",
    "disclosure_update",
    "escalations_notify",
    "objection_file",
    "objection_reply",
]
