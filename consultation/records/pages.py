"""Editors' context pages around a matter (Wagtail): the editor writes the
background, the explanation, the questions and answers; the matter's record itself
— its state, the procedure's steps, its disclosures — is shown beside that text
from the structured records, never copied into it, so the page can't fall out of
date and the record can't be edited through it."""

from __future__ import annotations

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from yishi.search import SegmentedSearchMixin
from yishi.visitor_cache import CachedForVisitorsMixin

from .models import Matter


class MatterContextPage(CachedForVisitorsMixin, SegmentedSearchMixin, Page):
    # Nothing on it depends on the reader but base.html's personal parts.
    cached_for_residents = True
    matter = models.ForeignKey(
        Matter,
        verbose_name=_("事项"),
        on_delete=models.PROTECT,
        related_name="context_pages",
        help_text=_("本页说明的事项；事项的进展和公开记录自动显示在正文之后。"),
    )
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = RichTextField(_("背景与说明"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("matter"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("search_segmented"),
    ]
    parent_page_types = [
        "neighbourhoods.CommunityPage",
        "neighbourhoods.CompoundPage",
        "neighbourhoods.PartyBranchPage",
    ]
    subpage_types = []
    template = "consultation/records/matter_context_page.html"

    class Meta:
        verbose_name = _("事项说明页")
        verbose_name_plural = _("事项说明页")

    def segmented_source(self) -> str:
        return f"{self.title} {self.summary} {strip_tags(self.body)}"

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["record"] = selectors.matter_context(self.matter_id)
        return context
