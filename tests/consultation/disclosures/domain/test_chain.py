"""The chain's canonical form and the verifier: each kind of break is found at the
exact entry."""

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from consultation.disclosures.domain.chain import (
    GENESIS,
    Break,
    Record,
    canonical,
    content_hash,
    entry_hash,
    next_link,
    verify,
)


def build(n: int) -> list[Record]:
    records, seq, head = [], 0, GENESIS
    for i in range(n):
        content = {"title": f"公开{i}", "n": i}
        link = next_link(head_seq=seq, head_hash=head, content=content)
        records.append(
            Record(
                link.seq, link.prev_hash, link.content_hash, link.entry_hash, content
            )
        )
        seq, head = link.seq, link.entry_hash
    return records


def known(records):
    return {r.entry_hash: r.seq for r in records}


def test_canonical_is_the_documented_form():
    obj = {"b": "公示", "a": [1, {"d": None, "c": True}]}
    expected = json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert canonical(obj) == expected.encode("utf-8")
    assert canonical(obj) == '{"a":[1,{"c":true,"d":null}],"b":"公示"}'.encode()
    assert content_hash(obj) == hashlib.sha256(canonical(obj)).hexdigest()


def test_links_follow_one_another():
    records = build(3)
    assert records[0].prev_hash == GENESIS
    assert records[1].prev_hash == records[0].entry_hash
    assert records[2].entry_hash == entry_hash(
        seq=3, prev_hash=records[1].entry_hash, content_hash=records[2].content_hash
    )
    assert verify(records, head_seq=3, head_hash=records[-1].entry_hash).ok


def test_empty_chain_verifies():
    verdict = verify([], head_seq=0)
    assert verdict.ok
    assert verdict.checked == 0


@given(st.integers(2, 12), st.data())
def test_each_break_is_found_at_its_entry(n, data):
    records = build(n)
    k = data.draw(st.integers(0, n - 1))
    kind = data.draw(st.sampled_from(["content", "prev", "hash", "delete", "swap"]))
    broken = list(records)
    r = records[k]
    expected_seq, expected = k + 1, None
    if kind == "content":
        broken[k] = Record(
            r.seq, r.prev_hash, r.content_hash, r.entry_hash, {"title": "改"}
        )
        expected = Break.CONTENT_CHANGED
    elif kind == "prev":
        broken[k] = Record(r.seq, "f" * 64, r.content_hash, r.entry_hash, r.content)
        expected = Break.LINK_BROKEN
    elif kind == "hash":
        broken[k] = Record(r.seq, r.prev_hash, r.content_hash, "e" * 64, r.content)
        expected = Break.LINK_BROKEN
    elif kind == "delete":
        del broken[k]
        expected = Break.ENTRY_MISSING
    else:
        j = data.draw(st.integers(0, n - 1).filter(lambda j: j != k))
        a, b = sorted((k, j))
        ra, rb = records[a], records[b]
        broken[a] = Record(
            ra.seq, rb.prev_hash, rb.content_hash, rb.entry_hash, rb.content
        )
        broken[b] = Record(
            rb.seq, ra.prev_hash, ra.content_hash, ra.entry_hash, ra.content
        )
        expected_seq, expected = a + 1, Break.ORDER_CHANGED
    verdict = verify(
        broken, head_seq=n, head_hash=records[-1].entry_hash, known_hashes=known(broken)
    )
    assert not verdict.ok
    assert (verdict.broken_seq, verdict.reason) == (expected_seq, expected), verdict


def test_withheld_content_still_links():
    records = build(3)
    r = records[1]
    withheld = [
        records[0],
        Record(r.seq, r.prev_hash, r.content_hash, r.entry_hash, None),
        records[2],
    ]
    assert verify(withheld, head_seq=3).ok
