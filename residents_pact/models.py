"""The app's models: the pact page (`pages.py`) and its records (`versions.py`).

A pact is a Wagtail page (`PactPage`) whose body is its working text; every version
is kept as an explicit record (`PactVersion`: the articles as they were, each with
its stable key) whatever happens to the page's revisions.
"""

from .pages import PactPage
from .versions import (
    CommentAgreement,
    Handling,
    LegalityReview,
    PactComment,
    PactFiling,
    PactKind,
    PactVersion,
    Pledge,
    VersionState,
)

__all__ = [
    "CommentAgreement",
    "Handling",
    "LegalityReview",
    "PactComment",
    "PactFiling",
    "PactKind",
    "PactPage",
    "PactVersion",
    "Pledge",
    "VersionState",
]
