"""Reads shaped for the pact pages, each in a fixed number of queries.

Public pages show no personal data: commenters appear as 居民 1, 居民 2 … (per
version), pledges only as counts per building and compound.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from . import permissions
from .domain.diff import diff_versions
from .domain.kinds import adoption_of
from .domain.lifecycle import CHECKLIST, State, comment_open
from .text import as_domain, chinese_number
from .versions import Handling, PactComment, PactVersion, Pledge

SHOWN_OPEN = (State.PUBLIC_COMMENT, State.LEGALITY_REVIEW, State.REVIEWED, State.VOTING)


@dataclass
class ArticleView:
    key: str
    number: int
    number_zh: str
    chapter: str
    new_chapter: bool
    title: str
    text: str
    items: list[tuple[str, str]]
    comments: list = field(default_factory=list)


def article_views(version: PactVersion, comments=()) -> list[ArticleView]:
    by_key: dict[str, list] = {}
    for comment in comments:
        by_key.setdefault(comment.article_key, []).append(comment)
    views, chapter = [], None
    for a in version.articles:
        views.append(
            ArticleView(
                a["key"],
                a["number"],
                chinese_number(a["number"]),
                a["chapter"],
                a["chapter"] != chapter and bool(a["chapter"]),
                a.get("title", ""),
                a["text"],
                [(chinese_number(i), t) for i, t in enumerate(a["items"], start=1)],
                by_key.get(a["key"], []),
            )
        )
        chapter = a["chapter"]
    return views


def _threads(version: PactVersion) -> list[PactComment]:
    """Top-level comments with their replies, one query."""
    rows = list(
        PactComment.objects.filter(version=version).order_by("created_at", "pk")
    )
    tops = {c.pk: c for c in rows if c.parent_id is None}
    for c in tops.values():
        c.thread = []
    for c in rows:
        if c.parent_id in tops:
            tops[c.parent_id].thread.append(c)
    return list(tops.values())


def pledge_counts(version: PactVersion | None) -> list[dict]:
    if version is None:
        return []
    return list(
        Pledge.objects.filter(version=version)
        .values("compound__name", "building__number")
        .annotate(n=Count("pk"))
        .order_by("compound__name", "building__number")
    )


def pact_public(page, *, user=None, today=None) -> dict:
    """The page: the version in force, the version under way, the history."""
    today = today or timezone.localdate()
    versions = list(
        PactVersion.objects.filter(page=page)
        .select_related("filing", "review")
        .order_by("-number")
    )
    in_force = next((v for v in versions if v.state == State.IN_FORCE), None)
    open_version = next((v for v in versions if v.state in SHOWN_OPEN), None)
    comments = _threads(open_version) if open_version else []
    can_comment = bool(
        open_version
        and comment_open(open_version.state, today, open_version.comment_last_day)
        and user is not None
        and permissions.can_comment(user, page)
    )
    manage = bool(user and user.is_authenticated and permissions.can_manage(user, page))
    return {
        "adoption": adoption_of(page.kind),
        "in_force": in_force,
        "in_force_articles": article_views(in_force) if in_force else [],
        "open": open_version,
        "open_articles": article_views(open_version, comments) if open_version else [],
        "commenting": can_comment,
        "comment_open": bool(
            open_version
            and comment_open(open_version.state, today, open_version.comment_last_day)
        ),
        "history": versions,
        "pledges": pledge_counts(in_force),
        "manage": manage,
    }


def version_of(page, number) -> PactVersion | None:
    return PactVersion.objects.filter(page=page, number=number).first()


def pact_diff(page, old_number: int, new_number: int) -> dict | None:
    versions = {
        v.number: v
        for v in PactVersion.objects.filter(
            page=page, number__in=(old_number, new_number)
        )
    }
    if old_number not in versions or new_number not in versions:
        return None
    old, new = versions[old_number], versions[new_number]
    rows = diff_versions(as_domain(old.articles), as_domain(new.articles))
    return {
        "old": old,
        "new": new,
        "rows": [
            {
                "diff": row,
                "old_zh": chinese_number(row.old_number) if row.old_number else "",
                "new_zh": chinese_number(row.new_number) if row.new_number else "",
            }
            for row in rows
        ],
        "changed": sum(1 for row in rows if row.change != "kept" or row.moved),
    }


def handling_report(version: PactVersion) -> dict:
    """意见采纳情况: every resident's comment, how it was handled and why."""
    comments = [c for c in _threads(version) if not c.by_drafting_group]
    articles = article_views(version, comments)
    counts = dict.fromkeys(Handling.values, 0)
    for c in comments:
        if c.handling:
            counts[c.handling] += 1
    return {
        "version": version,
        "articles": [a for a in articles if a.comments],
        "total": len(comments),
        "counts": [(Handling(v).label, n) for v, n in counts.items()],
        "pending": sum(1 for c in comments if not c.handling),
    }


def checklist_rows(version: PactVersion) -> list[tuple[str, str, bool]]:
    review = getattr(version, "review", None)
    passed = set(review.checks) if review else set()
    return [(code, label, code in passed) for code, label in CHECKLIST]
