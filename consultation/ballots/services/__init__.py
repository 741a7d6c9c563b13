"""Ballot services: the only code that writes ballots, rolls, votes and tallies.

Each function is keyword-only and atomic, locks what it changes, asks `domain`
whether the change is allowed and `permissions` whether the actor may (an actor of
None is the system itself: the demo, a management command), writes an audit line
(yishi.audit), and announces the change after commit (`events`).

    checks.py             the ballot lock, state, roll entry, selection
    community_settings.py a community's voting settings
    lifecycle.py          create, open, close
    preparation.py        before opening: the notice, parts without an area
    votes.py              votes by every channel, proxies
    secrecy.py            anonymous papers, mixing, ballot-box papers
    publishing.py         the frozen tally, official results
"""

from .community_settings import (
    SETTING_NAMES,
    records_settings_check,
    rule_overrides_check,
    voting_settings_of,
    voting_settings_update,
)
from .errors import (
    AlreadyVoted,
    BallotError,
    BallotForbidden,
    BallotNotFound,
    BallotStateError,
    IdempotencyMismatch,
    InvalidSelection,
    NotOnRoll,
    ProxyRefused,
    VoteResult,
)
from .lifecycle import ballot_close, ballot_create, ballot_open
from .preparation import notice_record, zero_area_confirm
from .publishing import ballot_publish, official_result_record
from .secrecy import MIX_BATCH, secret_paper_enter, secret_papers_mix
from .votes import paper_vote_enter, proxy_register, proxy_vote_cast, vote_cast

__all__ = [
    "MIX_BATCH",
    "SETTING_NAMES",
    "AlreadyVoted",
    "BallotError",
    "BallotForbidden",
    "BallotNotFound",
    "BallotStateError",
    "IdempotencyMismatch",
    "InvalidSelection",
    "NotOnRoll",
    "ProxyRefused",
    "VoteResult",
    "ballot_close",
    "ballot_create",
    "ballot_open",
    "ballot_publish",
    "notice_record",
    "official_result_record",
    "paper_vote_enter",
    "proxy_register",
    "proxy_vote_cast",
    "records_settings_check",
    "rule_overrides_check",
    "secret_paper_enter",
    "secret_papers_mix",
    "vote_cast",
    "voting_settings_of",
    "voting_settings_update",
    "zero_area_confirm",
]
