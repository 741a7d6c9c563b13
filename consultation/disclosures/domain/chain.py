"""The tamper-evident disclosure log: canonical form, hashes, and the verifier.

Each community's published disclosures form one append-only chain. An entry holds

* ``content``: a JSON object (UTF-8, no personal data: attachments enter by hash);
* ``content_hash`` = SHA-256 of ``canonical(content)``;
* ``seq``: 1, 2, 3 … without gaps, one sequence per community;
* ``prev_hash``: the ``entry_hash`` of entry ``seq - 1`` (``GENESIS`` for seq 1);
* ``entry_hash`` = SHA-256 of ``canonical({"content_hash", "prev_hash", "seq"})``.

``canonical`` is ``json.dumps(obj, ensure_ascii=False, sort_keys=True,
separators=(",", ":")).encode("utf-8")`` (docs/api.md), so anyone can recompute a
hash from a downloaded copy (docs/verify_chain.py does it with the standard library
only). ``verify`` walks a chain and names the first broken entry and why: its content
changed, its link to the previous entry is broken, an entry is missing, or the order
was changed. Pure Python: no Django import.

Law: the chain is the platform's answer to 村民委员会组织法 第三十条 ("保证所公布事项的
真实性") read for urban communities (RULES.md §4.1) [NAT-LAW template; the hashing
itself is engineering, not law].
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

GENESIS = "0" * 64
FORMAT_VERSION = 1


def canonical(obj: object) -> bytes:
    """The one byte form every hash is taken of (sorted keys, no whitespace)."""
    return json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(content: Mapping) -> str:
    return sha256_hex(canonical(content))


def entry_hash(*, seq: int, prev_hash: str, content_hash: str) -> str:
    link = {"content_hash": content_hash, "prev_hash": prev_hash, "seq": seq}
    return sha256_hex(canonical(link))


@dataclass(frozen=True)
class Link:
    """The chain fields of the entry that comes after `seq` (what a publish writes)."""

    seq: int
    prev_hash: str
    content_hash: str
    entry_hash: str


def next_link(*, head_seq: int, head_hash: str, content: Mapping) -> Link:
    """The link of a new entry appended after the head (seq 0 / GENESIS: empty)."""
    digest = content_hash(content)
    seq = head_seq + 1
    prev = head_hash or GENESIS
    return Link(
        seq, prev, digest, entry_hash(seq=seq, prev_hash=prev, content_hash=digest)
    )


class Break(StrEnum):
    CONTENT_CHANGED = "content_changed"
    LINK_BROKEN = "link_broken"
    ENTRY_MISSING = "entry_missing"
    ORDER_CHANGED = "order_changed"


BREAK_WORDING = {
    Break.CONTENT_CHANGED: "内容被改动 (content changed)",
    Break.LINK_BROKEN: "与前一条的链接断开 (link broken)",
    Break.ENTRY_MISSING: "缺少条目 (entry missing)",
    Break.ORDER_CHANGED: "顺序被改变 (order changed)",
}


@dataclass(frozen=True)
class Record:
    """One stored entry as read back. `content` is None when it is withheld (a
    redacted entry in a public copy): its stated content_hash is then trusted for
    the link only."""

    seq: int
    prev_hash: str
    content_hash: str
    entry_hash: str
    content: Mapping | None


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken_seq: int | None = None
    reason: Break | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is None

    def describe(self) -> str:
        if self.ok:
            n = self.checked
            return f"链完整，共核验 {n} 条。 Chain intact: {n} entries checked."
        return (
            f"第 {self.broken_seq} 条：{BREAK_WORDING[self.reason]}。"
            f" Entry {self.broken_seq}: {self.reason.value}. {self.detail}".rstrip()
        )


def _link_break(record: Record, prev: str, known: Mapping[str, int]) -> Verdict | None:
    if record.prev_hash == prev:
        return None
    if record.prev_hash in known:
        # It links to an entry that exists, only not the one before it.
        return Verdict(
            record.seq - 1,
            record.seq,
            Break.ORDER_CHANGED,
            f"links to entry {known[record.prev_hash]}",
        )
    return Verdict(record.seq - 1, record.seq, Break.LINK_BROKEN)


def _check(record: Record, expected: int, prev: str, known) -> Verdict | None:
    if record.seq != expected:
        if record.seq > expected:
            return Verdict(expected - 1, expected, Break.ENTRY_MISSING)
        return Verdict(expected - 1, record.seq, Break.ORDER_CHANGED, "repeated seq")
    if (
        record.content is not None
        and content_hash(record.content) != record.content_hash
    ):
        return Verdict(expected - 1, expected, Break.CONTENT_CHANGED)
    broken = _link_break(record, prev, known)
    if broken:
        return broken
    recomputed = entry_hash(
        seq=record.seq, prev_hash=record.prev_hash, content_hash=record.content_hash
    )
    if recomputed != record.entry_hash:
        return Verdict(expected - 1, expected, Break.LINK_BROKEN, "entry hash")
    return None


def verify(
    records: Iterable[Record],
    *,
    head_seq: int | None = None,
    head_hash: str | None = None,
    known_hashes: Mapping[str, int] | None = None,
) -> Verdict:
    """Walk a chain in stored order (by seq) and name the first broken entry.

    `head_seq`/`head_hash`: what the chain's head says its last entry is (catches a
    deleted last entry). `known_hashes` (entry_hash → seq of every stored entry)
    tells a reordering from a broken link; without it a reordering reads as a
    broken link.
    """
    known = known_hashes or {}
    expected, prev, checked = 1, GENESIS, 0
    for record in records:
        broken = _check(record, expected, prev, known)
        if broken:
            return broken
        prev, expected, checked = record.entry_hash, expected + 1, checked + 1
    if head_seq is not None and head_seq > checked:
        return Verdict(
            checked, checked + 1, Break.ENTRY_MISSING, "after the last entry"
        )
    if head_hash is not None and checked and head_hash != prev:
        return Verdict(checked - 1, checked, Break.LINK_BROKEN, "chain head")
    return Verdict(checked)
