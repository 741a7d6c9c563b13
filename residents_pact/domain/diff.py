"""The clause-by-clause diff of two versions of a pact (issue 12 item 5).

Articles are matched by their stable identity (`key`), never by their number: an
article renumbered because one before it was added is the same article. For each
article the result says whether it was added, removed, moved (its place among the
articles both versions share changed), changed, or kept; a changed text is diffed
character by character, so the changed Chinese characters can be highlighted.

A moved article is found with the longest increasing run of the shared articles'
old positions taken in their new order: those outside it are the fewest that must
have moved. O(n log n) for the order, and difflib per changed article.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum


@dataclass(frozen=True)
class Article:
    key: str  # stable across versions
    number: int  # 第 n 条 in its version
    chapter: str
    text: str  # the article's text with its items, one per line


class Change(StrEnum):
    KEPT = "kept"
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Segment:
    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass(frozen=True)
class ArticleDiff:
    key: str
    change: Change
    moved: bool
    old_number: int | None
    new_number: int | None
    segments: tuple[Segment, ...]  # char-level; the whole text for added/removed

    def old_text(self) -> str:
        return "".join(s.text for s in self.segments if s.op != "insert")

    def new_text(self) -> str:
        return "".join(s.text for s in self.segments if s.op != "delete")


def char_segments(old: str, new: str) -> tuple[Segment, ...]:
    """The character-level edit of `old` into `new`, adjacent runs merged."""
    if old == new:
        return (Segment("equal", old),) if old else ()
    out: list[Segment] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Segment(op, out[-1].text + text)
        else:
            out.append(Segment(op, text))

    # The common head and tail are equal text: only the middle needs matching.
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    push("equal", old[:head])
    old_mid, new_mid = old[head : len(old) - tail], new[head : len(new) - tail]
    matcher = SequenceMatcher(None, old_mid, new_mid, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", old_mid[i1:i2])
        else:
            push("delete", old_mid[i1:i2])
            push("insert", new_mid[j1:j2])
    push("equal", old[len(old) - tail :])
    return tuple(out)


def _stayed(old_positions: list[int]) -> set[int]:
    """Indices (into the list) of a longest strictly increasing subsequence."""
    tails: list[int] = []  # values
    tails_at: list[int] = []  # index in old_positions of each tail
    parent = [-1] * len(old_positions)
    for i, value in enumerate(old_positions):
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tails_at.append(i)
        else:
            tails[at] = value
            tails_at[at] = i
        parent[i] = tails_at[at - 1] if at else -1
    kept: set[int] = set()
    i = tails_at[-1] if tails_at else -1
    while i != -1:
        kept.add(i)
        i = parent[i]
    return kept


def diff_versions(old: list[Article], new: list[Article]) -> list[ArticleDiff]:
    """Every article of either version, in the new version's order, the removed
    ones after the article that preceded them in the old version."""
    old_by_key = {a.key: (i, a) for i, a in enumerate(old)}
    new_keys = {a.key for a in new}
    shared = [a for a in new if a.key in old_by_key]
    stayed = _stayed([old_by_key[a.key][0] for a in shared])
    moved = {a.key for i, a in enumerate(shared) if i not in stayed}
    result: list[ArticleDiff] = []
    removed_after: dict[str | None, list[Article]] = {}
    previous: str | None = None
    for article in old:
        if article.key not in new_keys:
            removed_after.setdefault(previous, []).append(article)
        else:
            previous = article.key
    for gone in removed_after.get(None, []):
        result.append(_removed(gone))
    for article in new:
        if article.key in old_by_key:
            before = old_by_key[article.key][1]
            same = before.text == article.text
            result.append(
                ArticleDiff(
                    article.key,
                    Change.KEPT if same else Change.CHANGED,
                    article.key in moved,
                    before.number,
                    article.number,
                    char_segments(before.text, article.text),
                )
            )
            for gone in removed_after.get(article.key, []):
                result.append(_removed(gone))
        else:
            result.append(
                ArticleDiff(
                    article.key,
                    Change.ADDED,
                    False,
                    None,
                    article.number,
                    (Segment("insert", article.text),) if article.text else (),
                )
            )
    return result


def _removed(article: Article) -> ArticleDiff:
    segments = (Segment("delete", article.text),) if article.text else ()
    return ArticleDiff(
        article.key, Change.REMOVED, False, article.number, None, segments
    )
