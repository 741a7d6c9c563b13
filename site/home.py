"""The home page and its Wagtail site: made once, remade if a test flushed them."""

from django.db import transaction
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
