"""Writing the demo's pages: the register's pages, and the articles under home."""

from __future__ import annotations

from neighbourhoods import services
from yishi.home import article_page_create, home_page_ensure

from ..data.articles import ARTICLES
from .writer import RegisterWriter


def write_pages(writer: RegisterWriter) -> None:
    for kind, n in services.register_pages_sync(actor=None).items():
        if kind != "skipped" and n:
            writer.count("页面", n)
    home = home_page_ensure()
    slugs = set(home.get_children().values_list("slug", flat=True))
    for article in ARTICLES:
        if article["slug"] not in slugs:
            article_page_create(actor=None, **article)
            writer.count("页面")
