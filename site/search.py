"""Chinese word segmentation for search.

PostgreSQL and SQLite full-text search treat an unspaced run of Chinese as one token,
so "电梯" is never found inside "加装电梯工作方案". Pages index a jieba-segmented copy
of their text and queries are segmented the same way (../shared/TOOLCHAIN.md).
"""

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)

_SPACES = re.compile(r"\s+")
# Anything but letters, digits and CJK characters: quotes, brackets, `*`, `-` … are
# query syntax to SQLite FTS5 and PostgreSQL tsquery (an unpaired `"` is an error).
_NOT_WORD = re.compile(r"[\W_]+")


def segment(text: str) -> str:
    """Space-separated search terms, including the shorter words inside long ones."""
    if not text:
        return ""
    words = (w.strip() for w in jieba.cut_for_search(text))
    return _SPACES.sub(" ", " ".join(w for w in words if w)).strip()


def query_terms(query: str) -> str:
    """A visitor's query as search terms: segmented like the index, syntax removed."""
    return segment(_NOT_WORD.sub(" ", query or ""))


class SegmentedSearchMixin:
    """Adds `search_segmented`: a jieba-segmented copy of the page's searchable text."""

    def segmented_source(self) -> str:
        return self.title

    def search_segmented(self) -> str:
        return segment(self.segmented_source())


def search_pages(query: str):
    """Live public pages matching every word of `query` (segmented as the index is);
    a query whose words never meet on one page falls back to any word, ranked."""
    from wagtail.models import Page

    terms = query_terms(query)
    if not terms:
        return Page.objects.none()
    pages = Page.objects.live().public().specific()
    results = pages.search(terms, operator="and")
    if not results:
        results = pages.search(terms, operator="or")
    return results
