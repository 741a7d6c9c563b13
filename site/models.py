"""Site-wide Wagtail pages: the platform's home page and plain content pages."""

from django.conf import settings
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from yishi.search import segment


class SegmentedSearchMixin:
    """Adds `search_segmented`: a jieba-segmented copy of the page's searchable text."""

    def segmented_source(self) -> str:
        return self.title

    def search_segmented(self) -> str:
        return segment(self.segmented_source())


class HomePage(SegmentedSearchMixin, Page):
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
        from neighbourhoods.selectors import communities_for_home

        context = super().get_context(request, *args, **kwargs)
        context["communities"] = communities_for_home()
        # Community pages are listed above, with their subdistrict.
        context["sections"] = (
            self.get_children().live().public().not_type(CommunityPage)
        )
        return context


class ArticlePage(SegmentedSearchMixin, Page):
    """A plain page of text: notices, guides, work plans."""

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


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which record, and when.

    Written only by `yishi.audit.audit_record`, called by every service that changes
    a record; never edited or deleted (the admin shows it read-only). The target is
    named by type, id and a masked label rather than a foreign key, so the line
    outlives the record and depends on no app; `community_id` says whose staff and
    supervisory committee may read it (None: subdistrict-wide or site-wide).
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=80)
    target_id = models.CharField(_("对象编号"), max_length=40)
    target_label = models.CharField(_("对象"), max_length=200, blank=True)
    community_id = models.PositiveBigIntegerField(_("社区"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["community_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
