"""A pact's text: the page body's stream ⇄ a version's articles, and numbering.

An article's key is its StreamField block id, kept by Wagtail from revision to
revision and given back to the block when a new draft is made from a version.
"""

from __future__ import annotations

import uuid

from .domain.diff import Article

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (n < 1000)."""
    if n < 10:
        return DIGITS[n]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (DIGITS[ones] if ones else "")


def articles_from_stream(raw: list[dict]) -> list[dict]:
    """The version's articles from the body's raw stream data, numbered in order."""
    articles: list[dict] = []
    chapter = ""
    for block in raw:
        if block.get("type") == "chapter":
            chapter = str(block.get("value") or "")
            continue
        if block.get("type") != "article":
            continue
        value = block.get("value") or {}
        items = [
            (i.get("value") if isinstance(i, dict) else i) or ""
            for i in value.get("items") or []
        ]
        articles.append(
            {
                "key": block.get("id") or str(uuid.uuid4()),
                "number": len(articles) + 1,
                "chapter": chapter,
                "title": value.get("title") or "",
                "text": value.get("text") or "",
                "items": [str(i) for i in items if str(i).strip()],
            }
        )
    return articles


def stream_from_articles(articles: list[dict]) -> list[dict]:
    """The body's raw stream for a new draft, each article under its own key."""
    raw: list[dict] = []
    chapter = None
    for article in articles:
        if article["chapter"] and article["chapter"] != chapter:
            raw.append(
                {
                    "type": "chapter",
                    "value": article["chapter"],
                    "id": str(uuid.uuid4()),
                }
            )
        chapter = article["chapter"]
        raw.append(
            {
                "type": "article",
                "id": article["key"],
                "value": {
                    "title": article["title"],
                    "text": article["text"],
                    "items": [
                        {"type": "item", "value": item, "id": str(uuid.uuid4())}
                        for item in article["items"]
                    ],
                },
            }
        )
    return raw


def article_text(article: dict) -> str:
    """What the diff compares: the title, the text and the items, one per line."""
    lines = [article["title"]] if article.get("title") else []
    lines.append(article["text"])
    lines += [
        f"（{chinese_number(i)}）{item}" for i, item in enumerate(article["items"], 1)
    ]
    return "\n".join(lines)


def as_domain(articles: list[dict]) -> list[Article]:
    return [
        Article(a["key"], a["number"], a["chapter"], article_text(a)) for a in articles
    ]
