"""Turn a posted vote form (works without JavaScript) into a raw selection."""

from __future__ import annotations

import re

from django.http import QueryDict

from .domain.ballots import BallotKind

KEY_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class FormError(ValueError):
    pass


def idempotency_key_from(data: QueryDict | dict) -> str:
    key = str(data.get("idempotency_key", "") or "").strip()
    if key and not KEY_RE.fullmatch(key):
        raise FormError("bad idempotency key")
    return key


def _int(value: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise FormError(f"not a number: {value!r}") from None


def selection_from_form(kind: str, data: QueryDict) -> dict:
    """The raw selection the domain normalises; shape errors surface there."""
    kind = BallotKind(kind)
    if kind == BallotKind.RANKED:
        ranks = []
        for name, value in data.items():
            if name.startswith("rank_") and str(value).strip():
                ranks.append((_int(value), _int(name[5:])))
        return {"ranking": [option for _, option in sorted(ranks)]}
    if kind == BallotKind.RATING:
        return {
            "ratings": {
                name[6:]: _int(value)
                for name, value in data.items()
                if name.startswith("score_") and str(value).strip()
            }
        }
    return {"options": [_int(v) for v in data.getlist("option")]}
