#!/usr/bin/env python3
"""Verify a downloaded copy of a community's disclosure chain, offline.

Standard library only. Download the chain (docs/api.md), all pages of it:

    curl -s 'https://HOST/api/disclosures/<slug>/chain.json?limit=1000' > p1.json
    curl -s 'https://HOST/api/disclosures/<slug>/chain.json?after=1000&limit=1000' \
        > p2.json

then run:

    python3 verify_chain.py p1.json [p2.json …]

It recomputes every entry's content hash (SHA-256 of the canonical JSON of its
`content`: UTF-8, sorted keys, no whitespace) and entry hash (SHA-256 of the
canonical JSON of {"content_hash", "prev_hash", "seq"}), checks that each entry
links to the one before it and that no entry is missing, and compares the last
entry with the chain's head. A redacted entry's content is withheld: its stated
content hash is used for the link. Exit 0: intact; exit 1: the first broken entry
and why.
"""

from __future__ import annotations

import hashlib
import json
import sys

GENESIS = "0" * 64


def canonical(obj) -> bytes:
    return json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check(entries: list[dict], head: dict | None = None) -> tuple[int, str | None]:
    """(entries checked, None) if intact, else (seq of the first broken entry, why)."""
    prev, expected = GENESIS, 1
    known = {e["entry_hash"]: e["seq"] for e in entries}
    for e in entries:
        seq = e["seq"]
        if seq != expected:
            return expected, "entry missing" if seq > expected else "order changed"
        if (
            e.get("content") is not None
            and sha256_hex(canonical(e["content"])) != e["content_hash"]
        ):
            return seq, "content changed"
        if e["prev_hash"] != prev:
            return seq, "order changed" if e["prev_hash"] in known else "link broken"
        link = {
            "content_hash": e["content_hash"],
            "prev_hash": e["prev_hash"],
            "seq": seq,
        }
        if sha256_hex(canonical(link)) != e["entry_hash"]:
            return seq, "link broken"
        prev, expected = e["entry_hash"], expected + 1
    if head and head.get("seq", 0) > len(entries):
        return len(entries) + 1, "entry missing"
    if head and entries and head.get("entry_hash") != prev:
        return len(entries), "link broken (chain head)"
    return len(entries), None


def load(paths: list[str]) -> tuple[list[dict], dict | None]:
    entries, head = [], None
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            page = json.load(handle)
        entries += page["entries"]
        head = page.get("head") or head
    return entries, head


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    entries, head = load(argv)
    number, why = check(entries, head)
    if why is None:
        print(f"OK: {number} entries checked, chain intact.")
        return 0
    print(f"BROKEN at entry {number}: {why}.")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
