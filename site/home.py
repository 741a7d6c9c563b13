"""The home page and its Wagtail site (made once, remade if a test flushed them),
and the articles the system places under it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

HOME_TITLE = "议事 · 大家的事 大家商定"


@transaction.atomic
def home_page_ensure():
    """The HomePage, recreating Locale, root page and Site if a test flushed them."""
    from yishi.models import HomePage

    home = HomePage.objects.first()
    if home is not None:
        return home
    locale, _ = Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locale)
    home = root.add_child(
        instance=HomePage(
            title=HOME_TITLE, slug="home", locale=locale, intro="<p>社区协商平台</p>"
        )
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@transaction.atomic
def article_page_create(
    *, actor, slug: str, title: str, summary: str = "", body: str = ""
):
    """A live article under the home page (a guide, a notice), audited.

    For the system (actor None, the demo) and superusers; editors write pages in
    Wagtail's own editor.
    """
    from yishi.audit import audit_record
    from yishi.models import ArticlePage

    if actor is not None and not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(
            _("只有管理员可以这样创建页面。 Only administrators may create pages so.")
        )
    home = home_page_ensure()
    page = home.add_child(
        instance=ArticlePage(slug=slug, title=title, summary=summary, body=body)
    )
    audit_record(actor=actor, action="article_page_create", target=page)
    return page
