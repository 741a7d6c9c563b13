"""Site-wide Wagtail pages: the platform's home page and plain content pages."""

from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from yishi.audit import AuditEntry  # noqa: F401  (a model of this app)
from yishi.deadlines.models import HolidayCalendarDay  # noqa: F401  (a model of this app)
from yishi.notifications.models import (  # noqa: F401  (models of this app)
    Message,
    NotificationPreference,
)
from yishi.search import SegmentedSearchMixin
from yishi.visitor_cache import CachedForVisitorsMixin


class HomePage(CachedForVisitorsMixin, SegmentedSearchMixin, Page):
    # Nothing on it depends on the reader but base.html's personal parts.
    cached_for_residents = True
    intro = RichTextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("search_segmented"),
    ]
    max_count = 1
    template = "yishi/home_page.html"

    class Meta:
        verbose_name = _("首页")

    def segmented_source(self) -> str:
        return f"{self.title} {strip_tags(self.intro)}"

    def get_context(self, request, *args, **kwargs):
        from neighbourhoods.pages import CommunityPage
        from neighbourhoods.register_cache import fragment_key
        from neighbourhoods.selectors import communities_for_home

        context = super().get_context(request, *args, **kwargs)
        # Lazy: built only when the cached content (neighbourhoods/register_cache.py)
        # has to be rendered again.
        context["register_key"] = fragment_key(request)
        context["communities"] = SimpleLazyObject(communities_for_home)
        # Community pages are listed above, with their subdistrict.
        context["sections"] = SimpleLazyObject(
            lambda: list(self.get_children().live().public().not_type(CommunityPage))
        )
        return context


class ArticlePage(CachedForVisitorsMixin, SegmentedSearchMixin, Page):
    """A plain page of text: notices, guides, work plans."""

    # Nothing on it depends on the reader but base.html's personal parts.
    cached_for_residents = True

    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = RichTextField(_("正文"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("search_segmented"),
    ]
    template = "yishi/article_page.html"

    class Meta:
        verbose_name = _("文章")

    def segmented_source(self) -> str:
        return f"{self.title} {self.summary} {strip_tags(self.body)}"
