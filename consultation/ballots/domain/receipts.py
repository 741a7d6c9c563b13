"""Receipt codes of secret ballots: shown once to the voter, kept only as a digest.

A voter checks with the code that a paper with it was counted; the database keeps
SHA-256 of the normalised code, so the code itself never sits beside the paper.
"""

from __future__ import annotations

import hashlib
import secrets

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


def receipt_code() -> str:
    return "-".join(
        "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4)) for _ in range(3)
    )


def receipt_hash(code: str) -> str:
    normalised = code.strip().upper().replace(" ", "").replace("-", "")
    return hashlib.sha256(f"yishi-receipt:{normalised}".encode()).hexdigest()
