"""The body of a pact page: a numbered sequence of chapters (章), articles (条) and
items (款/项). Each article block keeps Wagtail's block id from revision to
revision: that id is the article's stable identity across versions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ArticleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("条标题（可空）"), required=False, max_length=60)
    text = blocks.TextBlock(label=_("条文"))
    items = blocks.ListBlock(
        blocks.TextBlock(label=_("项")), label=_("各项"), default=[]
    )

    class Meta:
        icon = "list-ol"
        label = _("条")


BODY_BLOCKS = [
    ("chapter", blocks.CharBlock(label=_("章"), max_length=60, icon="title")),
    ("article", ArticleBlock()),
]
