"""What the public register pages show, cached until the register or a page changes.

The community, compound, party and representative pages and the home page list what
the register holds (compounds, grids, committees and their members, representatives)
and link the Wagtail pages that present them. Building those lists costs tens of
milliseconds in a community of a few thousand households, and they change only when
staff edit the register or an editor publishes, moves or restricts a page. So each
page's content (below the header, which shows who is signed in) is rendered once and
kept in the cache (Redis in production, shared by every process) under a key that
carries the register's *version*: a counter that any change to a register model or a
Wagtail page increments (the receivers below). A change makes every cached page
unreachable at once; each is rendered again on its next visit. Cached pages also
expire after `TIMEOUT`, which bounds what a write that sends no signal (a
`QuerySet.update` or `bulk_create`) could leave stale. The templates enclose the
content in `{% registercache %}` (neighbourhoods/templatetags/register_pages.py) and
the pages hand them lazy lists, built only when the cache misses.

The version is incremented when the change is saved and again when its transaction
commits: a page built between the two from data read before the commit is stored
under a version that is already gone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page

VERSION_KEY = "register-pages:version"
TIMEOUT = 600  # seconds; a safety net, not the invalidation
# Models whose rows a public register page shows or links: the register's places,
# bodies, seats and people (names), representatives; Wagtail's pages, their view
# restrictions and sites (page URLs). Not households, units, accounts or sign-in codes:
# a resident signing in must not empty every page's cache.
_SHOWN_MODELS = frozenset(
    {
        "neighbourhoods.Subdistrict",
        "neighbourhoods.Community",
        "neighbourhoods.Compound",
        "neighbourhoods.Building",
        "neighbourhoods.Grid",
        "neighbourhoods.Body",
        "neighbourhoods.Membership",
        "neighbourhoods.Person",
        "neighbourhoods.Representative",
        "wagtailcore.PageViewRestriction",
        "wagtailcore.Site",
    }
)


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY, 1)
    return value


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value is a new version
        cache.add(VERSION_KEY, 1, timeout=None)
        cache.incr(VERSION_KEY)


def register_changed() -> None:
    """Make every cached register list stale, now and when the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def fragment_key(request) -> str | None:
    """The key under which a register page's content is cached for this request:
    the register's version, the language (labels are translated) and today's date
    (terms of office begin and end with the day). None for a preview in Wagtail's
    editor, which shows unsaved content."""
    if getattr(request, "is_preview", False):
        return None
    return f"{version()}:{get_language()}:{timezone.localdate().isoformat()}"


def fragment(key: str, render: Callable[[], str]) -> str:
    """`render()`, kept in the cache under `key` (from `fragment_key`)."""
    full_key = f"register-pages:fragment:{key}"
    html = cache.get(full_key)
    if html is None:
        html = render()
        cache.set(full_key, html, timeout=TIMEOUT)
    return html


def _is_register_model(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return False
    return meta.label in _SHOWN_MODELS or issubclass(sender, Page)


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    if _is_register_model(sender):
        register_changed()


def _on_m2m_change(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and _is_register_model(type(instance)):
        register_changed()


def connect() -> None:
    """Called once from the app's `ready()`."""
    post_save.connect(_on_change, dispatch_uid="register-pages-save")
    post_delete.connect(_on_change, dispatch_uid="register-pages-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="register-pages-m2m")
