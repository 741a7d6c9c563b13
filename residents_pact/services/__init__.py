"""Pact services: the only code that writes pacts, versions, comments, reviews,
filings and pledges. Keyword-only, atomic, locking what they change, asking the
domain and the permissions, refusing with `PactError` (status, zh + en message),
writing one audit line.

    drafting.py    the page and its first draft, amendments, the comment period
    comments.py    comments, replies, agreement, the drafting group's handling
    review.py      the comment stage's end, the legality review
    adoption.py    the adoption vote (ballots), a paper adoption (official result)
    filing.py      filing, entry into force, repeal
    disclosing.py  adoption and filing on the disclosure board
    pledges.py     承诺
"""

from .adoption import paper_adoption_record, vote_open, vote_record
from .comments import comment_agree, comment_handle, comment_post
from .drafting import comment_period_open, draft_update, pact_amend, pact_create
from .errors import PactError
from .filing import filing_record, force_enter, pact_repeal
from .pledges import pledge_make
from .review import comment_period_end, review_return, review_sign_off

__all__ = [
    "PactError",
    "comment_agree",
    "comment_handle",
    "comment_period_end",
    "comment_period_open",
    "comment_post",
    "draft_update",
    "filing_record",
    "force_enter",
    "pact_amend",
    "pact_create",
    "pact_repeal",
    "paper_adoption_record",
    "pledge_make",
    "review_return",
    "review_sign_off",
    "vote_open",
    "vote_record",
]
