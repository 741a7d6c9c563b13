"""Whole public pages kept for visitors who are not signed in.

Most requests for a community's public pages come from people who are not signed
in, and for them a page is the same for everybody: it depends only on the address,
the language, the chosen text size, the day and what the register and the records
hold. Such a page is rendered once and kept in the cache (Redis in production,
shared by every process) under a key that carries the *public pages' version*
(`settings.YISHI_VISITOR_CACHE_VERSION`, the register's counter in
neighbourhoods/register_cache.py, which every change to what these pages show
increments). A later visitor is answered from the cache before Wagtail's routing
or the view runs; the other middleware still adds its headers on the way out.

Wagtail pages opt in by `CachedForVisitorsMixin`, our views by the decorator
`cached_for_visitors`: only pages whose every change increments the version may.
The cache is asked only for those (Wagtail's `serve` and views so decorated). A
response is kept only when all of this holds, so nothing personal is ever kept or
served:

- the request is a GET or HEAD that carries no cookie but the text size, the
  language and the CSRF token (no session: not signed in, no flash messages);
- the answer is a plain 200 that sets no cookie, is not marked private or
  no-store, and rendered no CSRF token (a form would carry one visitor's token).

Signed-in residents are never served from here: their pages show who they are.

A view whose page also changes with something the version does not follow (a ballot,
say) names a *version of its own*: `cached_for_visitors(version=callable)`, called
with the request and the view's arguments before the view runs; its value joins the
key, and None means that this page is not kept at all.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from .context_processors import text_size_of

TIMEOUT = 600  # seconds; a safety net: the version is what makes a page stale
KEY_PREFIX = "visitor-page"
_FLAG = "_yishi_cache_for_visitors"
_KEY = "_yishi_visitor_cache_key"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")


def cache_for_visitors(request) -> None:
    """This request's page changes only with the version: it may be kept."""
    setattr(request, _FLAG, True)


def cached_for_visitors(view=None, *, version=None):
    """A view decorator: the view's page changes only with the version (and with
    `version(request, *args, **kwargs)`, where given; None: not kept)."""
    if view is None:
        return functools.partial(cached_for_visitors, version=version)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cache_for_visitors(request)
        return view(request, *args, **kwargs)

    wrapper.cached_for_visitors = True
    wrapper.visitor_version = version
    return wrapper


class CachedForVisitorsMixin:
    """For a Wagtail page whose every change increments the version: kept whole
    for visitors (Wagtail checks a page's view restrictions before `serve`)."""

    def serve(self, request, *args, **kwargs):
        cache_for_visitors(request)
        return super().serve(request, *args, **kwargs)


def _harmless_cookies() -> frozenset[str]:
    from .context_processors import TEXT_SIZE_COOKIE

    return frozenset(
        {TEXT_SIZE_COOKIE, settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    )


def _version() -> str:
    return str(import_string(settings.YISHI_VISITOR_CACHE_VERSION)())


def visitor_key(request) -> str | None:
    """The cache key of this request's page, or None when it must not be cached."""
    if request.method not in ("GET", "HEAD"):
        return None
    if not set(request.COOKIES) <= _harmless_cookies():
        return None
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return ":".join(
        (
            KEY_PREFIX,
            _version(),
            get_language() or "",
            text_size_of(request),
            timezone.localdate().isoformat(),
            hashlib.sha256(address).hexdigest(),
        )
    )


def _keepable(request, response) -> bool:
    control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return (
        getattr(request, _FLAG, False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not control & {"private", "no-store", "no-cache"}
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


class VisitorPageCacheMiddleware:
    """Answers a visitor from the cache (`process_view`, after URL resolution so
    that the language is known) and keeps what `cache_for_visitors` allowed."""

    def __init__(self, get_response):
        from wagtail.views import serve  # needs the app registry: not at import

        self.get_response = get_response
        self.wagtail_serve = serve

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, _KEY, None)
        if key and _keepable(request, response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
            cache.set(key, (response.content, headers), timeout=TIMEOUT)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (
            view_func is self.wagtail_serve
            or getattr(view_func, "cached_for_visitors", False)
        ):
            return None
        key = visitor_key(request)
        if key is None:
            return None
        own = getattr(view_func, "visitor_version", None)
        if own is not None:
            own_version = own(request, *view_args, **view_kwargs)
            if own_version is None:
                return None
            key = f"{key}:{own_version}"
        kept = cache.get(key)
        if kept is None:
            setattr(request, _KEY, key)  # rendered by the view, kept on the way out
            return None
        content, headers = kept
        response = HttpResponse(content)
        for header, value in headers.items():
            response[header] = value
        response["X-Yishi-Cache"] = "hit"
        return response
