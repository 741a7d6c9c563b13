"""Site-wide views: text size, search, health, and the error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from consultation.ballots import selectors as ballot_selectors
from consultation.rooms import selectors as room_selectors
from yishi.context_processors import TEXT_SIZE_COOKIE, TEXT_SIZES
from yishi.search import search_pages

SEARCH_PAGE_SIZE = 10
MAX_QUERY_LENGTH = 100


@require_http_methods(["GET", "POST"])
def text_size(request):
    """Persist the 大/中/小 choice in a cookie; works with or without JavaScript."""
    size = request.POST.get("size") or request.GET.get("size")
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if size in TEXT_SIZES:
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            size,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = search_pages(query)
    page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "yishi/search.html", {"query": query, "page_obj": page})


@login_required
@require_GET
def my_matters(request):
    """我的事项: what waits for the signed-in resident, gathered from each capability
    (votes to cast now; later capabilities add supports, comments and ratings)."""
    person = getattr(request.user, "person", None)
    context = {
        "person": person,
        "ballots": ballot_selectors.ballots_waiting_for(person),
        "rooms": room_selectors.rooms_of_user(request.user),
    }
    return render(request, "yishi/my_matters.html", context)


def healthz(request):
    return JsonResponse({"status": "ok"})


def signin_locked_out(request, *args, **kwargs) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (settings AXES_LOCKOUT_CALLABLE):
    the sign-in page again, with why and for how long, HTTP 429. Axes calls it with
    (request, response, credentials), or (request, credentials) on its async path."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # Unbound: validating it would try the password again.
    username = str(request.POST.get("username", ""))[:150]
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out": True, "cooloff_minutes": minutes}
    return render(request, "yishi/login.html", context, status=429)


def _error(request, template: str, status: int) -> HttpResponse:
    body = loader.get_template(template).render({"request_path": request.path}, request)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return _error(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "404.html", 404)


def server_error(request):
    # No context processors or database: the failure may be in either.
    body = loader.get_template("500.html").render({})
    return HttpResponse(body, status=500)
