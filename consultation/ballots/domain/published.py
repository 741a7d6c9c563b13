"""The digest of a published result: how anybody checks a frozen tally.

A published result (``PublishedTally.result``) is frozen with the SHA-256 of its JSON:
keys sorted, Python's default separators, non-ASCII characters written as themselves
(not ``\\u`` escapes), UTF-8 (docs/api.md, "Checking the digest"). It is printed on
the tally sheet and served by the API, so a reader can recompute it from the JSON
alone. No Django import here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

__all__ = ["tally_sha256"]


def tally_sha256(result: Mapping) -> str:
    """The hex SHA-256 of ``result`` as published (sorted keys, UTF-8, unescaped)."""
    body = json.dumps(result, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()
