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

Signed-in residents see the same page but for a few parts that say who they are
(the header's links and sign-out form, the presence script), which base.html marks
`<!--yishi:personal NAME-->…<!--/yishi:personal NAME-->` and renders from
`yishi/personal/NAME.html`. Where a page also says `cached_for_residents` (its content
does not depend on who reads it), a resident is answered with the visitors' copy in
which those parts are rendered for them — one small template instead of Wagtail's
routing and the whole page. Only for a GET with no cookie but the session's and the
harmless ones, no message waiting, and a resident who cannot use the admin
(`user.may_use_admin`, neighbourhoods/backends.py: an editor sees editors' tools on
the page); the answer is private. Everyone else is rendered as before.

A view whose page also changes with something the version does not follow (a ballot,
say) names a *version of its own*: `cached_for_visitors(version=callable)`, called
with the request and the view's arguments before the view runs; its value joins the
key, and None means that this page is not kept at all.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_cache_control
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from .context_processors import text_size_of

TIMEOUT = 600  # seconds; a safety net: the version is what makes a page stale
KEY_PREFIX = "visitor-page"
_FLAG = "_yishi_cache_for_visitors"
_KEY = "_yishi_visitor_cache_key"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")
PERSONAL_PARTS = ("nav", "scripts")  # base.html's marked parts, in page order


def cache_for_visitors(request, residents: bool = False) -> None:
    """This request's page changes only with the version: it may be kept, and
    with `residents`, shown to residents with its personal parts their own."""
    setattr(request, _FLAG, "residents" if residents else "visitors")


def cached_for_visitors(view=None, *, residents: bool = False, version=None):
    """A view decorator: the view's page changes only with the version (and with
    `version(request, *args, **kwargs)`, where given; None: not kept); with
    `residents=True` it is the same for every resident but for base.html's personal
    parts."""
    if view is None:
        return functools.partial(
            cached_for_visitors, residents=residents, version=version
        )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        cache_for_visitors(request, residents=residents)
        return view(request, *args, **kwargs)

    wrapper.cached_for_visitors = True
    wrapper.cached_for_residents = residents
    wrapper.visitor_version = version
    return wrapper


class CachedForVisitorsMixin:
    """For a Wagtail page whose every change increments the version: kept whole
    for visitors (Wagtail checks a page's view restrictions before `serve`). Set
    `cached_for_residents` on a page type whose template shows nothing that depends
    on the reader outside base.html's personal parts."""

    cached_for_residents = False

    def serve(self, request, *args, **kwargs):
        cache_for_visitors(request, residents=self.cached_for_residents)
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
    if not _cookies_sent(request) <= _harmless_cookies():
        return None
    return _page_key(request)


def _cookies_sent(request) -> set[str]:
    """The names of the cookies that carry something (a cookie emptied by a
    deletion the client did not apply carries nothing)."""
    return {name for name, value in request.COOKIES.items() if value}


def _page_key(request) -> str:
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


def _kept_response(content: bytes, headers: dict, mark: str) -> HttpResponse:
    response = HttpResponse(content)
    for header, value in headers.items():
        response[header] = value
    response["X-Yishi-Cache"] = mark
    return response


def _personal_parts(content: bytes, request) -> bytes | None:
    """The page with base.html's personal parts rendered for this request's user;
    None when a part's marks are missing (then the page is rendered as usual)."""
    text = content.decode()
    context = {
        "user": request.user,
        "request": request,
        "csrf_token": get_token(request),
    }
    for name in PERSONAL_PARTS:
        start, end = f"<!--yishi:personal {name}-->", f"<!--/yishi:personal {name}-->"
        head, found, rest = text.partition(start)
        _visitors, found_end, tail = rest.partition(end)
        if not (found and found_end):
            return None
        part = render_to_string(f"yishi/personal/{name}.html", context)
        text = f"{head}{start}{part}{end}{tail}"
    return text.encode()


def _own_version(view_func, request, args, kwargs) -> str | None:
    """The part of the key a view's own version adds ("" for none); None: the page
    is not kept."""
    own = getattr(view_func, "visitor_version", None)
    if own is None:
        return ""
    value = own(request, *args, **kwargs)
    return None if value is None else f":{value}"


def _residents_copy(request, own_version) -> HttpResponse | None:
    """The visitors' copy of a page that may be shared, for a signed-in resident."""
    allowed = _harmless_cookies() | {settings.SESSION_COOKIE_NAME}
    if request.method not in ("GET", "HEAD") or not _cookies_sent(request) <= allowed:
        return None
    user = request.user
    if not user.is_authenticated or getattr(user, "may_use_admin", True):
        return None
    if len(get_messages(request)):  # shown once, by a page rendered for them
        return None
    own = own_version()
    if own is None:
        return None
    kept = cache.get(f"{_page_key(request)}{own}")
    if kept is None or len(kept) < 3 or kept[2] != "residents":
        return None
    content = _personal_parts(kept[0], request)
    if content is None:
        return None
    response = _kept_response(content, kept[1], "shared")
    patch_cache_control(response, private=True)
    return response


class VisitorPageCacheMiddleware:
    """Answers a visitor from the cache (`process_view`, after URL resolution so
    that the language is known) and keeps what `cache_for_visitors` allowed; a
    resident gets the kept copy of a page that may be shared, with the personal
    parts rendered for them."""

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
            kept = (response.content, headers, getattr(request, _FLAG))
            cache.set(key, kept, timeout=TIMEOUT)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (
            view_func is self.wagtail_serve
            or getattr(view_func, "cached_for_visitors", False)
        ):
            return None

        def own_version() -> str | None:
            return _own_version(view_func, request, view_args, view_kwargs)

        key = visitor_key(request)
        if key is None:
            # A Wagtail page says whether it may be shared once routed: ask the cache.
            if not getattr(view_func, "cached_for_residents", True):
                return None
            return _residents_copy(request, own_version)
        own = own_version()
        if own is None:
            return None
        key = f"{key}{own}"
        kept = cache.get(key)
        if kept is None:
            setattr(request, _KEY, key)  # rendered by the view, kept on the way out
            return None
        return _kept_response(kept[0], kept[1], "hit")
