"""Wagtail pages for the register: community, compound, party branch, representative.

The page tree:

    HomePage
    ├── CommunityPage                 one per Community (社区)
    │   ├── CompoundPage              one per Compound (小区), under its first community
    │   │   └── PartyBranchPage       a compound's party branch (小区党支部)
    │   ├── PartyBranchPage           the community party organisation (社区党组织)
    │   └── ArticlePage               notices and guides of the community
    └── RepresentativeIndexPage       one per site: 两代表一委员
        └── RepresentativePage        one per Representative

A compound that spans two communities lives under the first (by statistical code); its
page links to both. Each page is linked one-to-one to its register object; the register
stays the truth, and the page adds the editors' text. A page never shows a phone
number, ID number or birth date from the register: it reads through `page_selectors`,
which hands it names and roles only. `services.register_pages_sync()` creates the
missing pages (the demo seeder calls it).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from yishi.search import SegmentedSearchMixin
from yishi.visitor_cache import CachedForVisitorsMixin

from . import page_selectors, register_cache

# The defining modules, not the `models` package: the package imports this module.
from .models.bodies import Body, Representative
from .models.places import Community, Compound

__all__ = [
    "CommunityPage",
    "CompoundPage",
    "PartyBranchPage",
    "RepresentativeIndexPage",
    "RepresentativePage",
]

ARTICLE = "yishi.ArticlePage"
HOME = "yishi.HomePage"
# Editors' context pages around a matter (consultation/records/pages.py).
MATTER_CONTEXT = "consultation.MatterContextPage"


class RegisterPage(CachedForVisitorsMixin, SegmentedSearchMixin, Page):
    """Shared by the register pages: editors' introduction and the segmented index."""

    # Nothing on it depends on the reader but base.html's personal parts.
    cached_for_residents = True

    intro = RichTextField(_("简介"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("search_segmented"),
    ]

    class Meta:
        abstract = True

    def register_text(self) -> str:
        """Words from the linked register object that a resident may search for."""
        return ""

    def segmented_source(self) -> str:
        return f"{self.title} {self.register_text()} {strip_tags(self.intro)}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["register_key"] = register_cache.fragment_key(request)
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1)
        # Register pages below this one are listed with the register data; the other
        # children (notices, guides) get their own list.
        # Lazy: `public()` reads the view restrictions when it is called, and the
        # cached content (register_cache.py) needs the list only on a miss.
        context["other_children"] = SimpleLazyObject(
            lambda: list(
                self.get_children()
                .live()
                .public()
                .not_type(CompoundPage, PartyBranchPage, RepresentativePage)
                .only("id", "title", "url_path", "locale_id", "depth", "path")
            )
        )
        return context


class CommunityPage(RegisterPage):
    community = models.OneToOneField(
        Community,
        verbose_name=_("社区"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="page",
        help_text=_("本页面介绍的名册中的社区。"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("community"),
        FieldPanel("intro"),
    ]
    parent_page_types = [HOME]
    subpage_types = [
        "neighbourhoods.CompoundPage",
        "neighbourhoods.PartyBranchPage",
        ARTICLE,
        MATTER_CONTEXT,
    ]
    # The link is one-to-one: a copy starts unlinked (hence blank=True), and the editor
    # links it to another community or leaves it as a plain page.
    exclude_fields_in_copy = ["community"]

    class Meta:
        verbose_name = _("社区页面")
        verbose_name_plural = _("社区页面")

    def register_text(self) -> str:
        if self.community is None:
            return ""
        return f"{self.community.name} {self.community.subdistrict.name}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["register"] = (
            SimpleLazyObject(
                lambda: page_selectors.community_register(self.community_id)
            )
            if self.community_id
            else None
        )
        # The community's matters (议题), from the decision records (Wagtail hook
        # `yishi_community_matters`), built only when the cached content misses.
        context["matters"] = SimpleLazyObject(
            lambda: _from_hooks("yishi_community_matters", self.community_id)
        )
        # Its latest disclosures (居务公开), from the board (hook
        # `yishi_community_disclosures`).
        context["disclosures"] = SimpleLazyObject(
            lambda: _from_hooks("yishi_community_disclosures", self.community_id)
        )
        return context


def _from_hooks(name: str, object_id: int | None) -> list:
    """What the capabilities registered under the Wagtail hook `name` list for
    `object_id` (a community or a body), in registration order."""
    if object_id is None:
        return []
    return [item for hook in hooks.get_hooks(name) for item in hook(object_id)]


class CompoundPage(RegisterPage):
    compound = models.OneToOneField(
        Compound,
        verbose_name=_("小区"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="page",
        help_text=_("本页面介绍的名册中的小区（物业管理区域）。"),
    )

    content_panels = [*Page.content_panels, FieldPanel("compound"), FieldPanel("intro")]
    parent_page_types = ["neighbourhoods.CommunityPage"]
    subpage_types = ["neighbourhoods.PartyBranchPage", ARTICLE, MATTER_CONTEXT]
    exclude_fields_in_copy = ["compound"]

    class Meta:
        verbose_name = _("小区页面")
        verbose_name_plural = _("小区页面")

    def register_text(self) -> str:
        if self.compound is None:
            return ""
        names = " ".join(c.name for c in self.compound.communities.all())
        return f"{self.compound.name} {self.compound.address} {names}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["register"] = (
            SimpleLazyObject(lambda: page_selectors.compound_register(self.compound_id))
            if self.compound_id
            else None
        )
        return context


class PartyBranchPage(RegisterPage):
    body = models.OneToOneField(
        Body,
        verbose_name=_("党组织"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="page",
        limit_choices_to={"kind__in": Body.PARTY_KINDS},
        help_text=_("社区党组织或小区党支部。"),
    )

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("intro")]
    parent_page_types = ["neighbourhoods.CommunityPage", "neighbourhoods.CompoundPage"]
    subpage_types = [ARTICLE, MATTER_CONTEXT]
    exclude_fields_in_copy = ["body"]

    class Meta:
        verbose_name = _("党组织页面")
        verbose_name_plural = _("党组织页面")

    def clean(self):
        super().clean()
        if self.body_id and self.body.kind not in Body.PARTY_KINDS:
            raise ValidationError(
                {"body": _("只能关联党组织。 Only a party organisation can be linked.")}
            )

    def register_text(self) -> str:
        if self.body is None:
            return ""
        return f"{self.body.name} {self.body.community.name}"

    def published_decisions(self) -> list:
        """Decisions this branch has published (本支部公开的决定): the matters on
        which the branch's body held a meeting that passed, newest first, as
        ``{"title", "url"}``. The decision records register the Wagtail hook
        ``yishi_body_decisions`` (consultation/records/wagtail_hooks.py); the register
        imports nothing of them. The page's content is cached until the register
        changes (register_cache.py): the records' services call
        `register_cache.register_changed()`.
        """
        return _from_hooks("yishi_body_decisions", self.body_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["register"] = (
            SimpleLazyObject(lambda: page_selectors.party_body_register(self.body_id))
            if self.body_id
            else None
        )
        context["decisions"] = self.published_decisions()
        return context


class RepresentativeIndexPage(RegisterPage):
    """两代表一委员: the deputies and members who link with the communities."""

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [HOME]
    subpage_types = ["neighbourhoods.RepresentativePage", ARTICLE]
    max_count = 1

    class Meta:
        verbose_name = _("两代表一委员栏目")
        verbose_name_plural = _("两代表一委员栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = SimpleLazyObject(
            lambda: page_selectors.representative_index(
                RepresentativePage.objects.child_of(self)
            )
        )
        return context


_DIGITS = re.compile(r"\D")


class RepresentativePage(RegisterPage):
    representative = models.OneToOneField(
        Representative,
        verbose_name=_("代表或委员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="page",
    )
    reception = models.TextField(
        _("接待日"),
        blank=True,
        help_text=_("例如：每月 15 日上午 9:00–11:30，阳光社区代表联络站。"),
    )
    contact = models.CharField(
        _("联系方式"),
        max_length=200,
        blank=True,
        help_text=_("联络站的电话或地址。请勿填写个人手机号。"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("representative"),
        HelpPanel(
            _("本页面公开显示姓名、类别、层级和联系社区，不显示名册中的手机号。")
        ),
        FieldPanel("reception"),
        FieldPanel("contact"),
        FieldPanel("intro"),
    ]
    search_fields = [*RegisterPage.search_fields, index.SearchField("reception")]
    parent_page_types = ["neighbourhoods.RepresentativeIndexPage"]
    subpage_types = []
    exclude_fields_in_copy = ["representative"]

    class Meta:
        verbose_name = _("代表委员页面")
        verbose_name_plural = _("代表委员页面")

    def clean(self):
        super().clean()
        if self.representative_id and self.contact:
            phone = _DIGITS.sub("", self.representative.person.phone)
            if phone and phone in _DIGITS.sub("", self.contact):
                raise ValidationError(
                    {
                        "contact": _(
                            "请勿公开名册中的个人手机号，请填写联络站的联系方式。"
                            " Do not publish the personal phone from the register."
                        )
                    }
                )

    def register_text(self) -> str:
        if self.representative is None:
            return ""
        rep = self.representative
        return (
            f"{rep.person.full_name} {rep.get_level_display()}{rep.get_kind_display()}"
            f" {rep.title} {self.reception}"
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["register"] = (
            SimpleLazyObject(
                lambda: page_selectors.representative_register(self.representative_id)
            )
            if self.representative_id
            else None
        )
        # Stations, reception days and activities from the liaison (hook
        # `yishi_representative_liaison`), shown outside the cached content.
        context["liaison"] = SimpleLazyObject(
            lambda: next(
                iter(
                    _from_hooks("yishi_representative_liaison", self.representative_id)
                ),
                None,
            )
        )
        return context
