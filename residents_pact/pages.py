"""The pact's Wagtail page: its identity (kind, community, compound, building) and
its working text; the versions are kept apart as records (`versions.py`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from neighbourhoods.models.places import Building, Community, Compound

from .blocks import BODY_BLOCKS
from .selectors import pact_public
from .versions import PactKind


class PactPage(Page):
    kind = models.CharField(_("类别"), max_length=30, choices=PactKind)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intro = RichTextField(_("说明"), blank=True)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("正文（工作稿）"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("community"),
        FieldPanel("compound"),
        FieldPanel("building"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["neighbourhoods.CommunityPage", "neighbourhoods.CompoundPage"]
    subpage_types: list[str] = []
    template = "residents_pact/pact_page.html"

    class Meta:
        verbose_name = _("公约")
        verbose_name_plural = _("公约")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["pact"] = pact_public(self, user=request.user)
        # A comment just refused for its text (residents_pact.views.comment).
        context["refused"] = getattr(request, "pact_refused", None)
        return context
