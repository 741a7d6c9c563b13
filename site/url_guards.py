"""Guards in front of the few Wagtail admin URLs that answer 500 to malformed input
(found by tests/site/test_hostile_paths.py, which walks every URL pattern with hostile
values, and tests/site/test_hostile_queries.py, which does the same with query strings
and form fields). Each answers 404 or 400 where Wagtail would raise, and otherwise lets
Wagtail's own view answer. Listed before Wagtail's admin URLs in `yishi.urls`.
"""

from django.http import Http404, HttpResponseBadRequest
from django.urls import path, re_path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.account import LoginView
from wagtail.admin.views.chooser import ExternalLinkView

_external_link = require_admin_access(ExternalLinkView.as_view())


def not_found(request, *args, **kwargs):
    raise Http404


def external_link(request):
    """Wagtail's external-link chooser raises on a POST without a URL."""
    if (
        request.method == "POST"
        and not request.POST.get("external-link-chooser-url", "").strip()
    ):
        return HttpResponseBadRequest(
            "请填写链接地址。 A link URL is needed.", content_type="text/plain"
        )
    return _external_link(request)


class AdminLoginView(LoginView):
    """Wagtail's admin sign-in, following `next` only when it is a path or an
    absolute address (already checked against the site's hosts by Django). A
    signed-in administrator is sent on with `redirect()`, which takes any other
    text ("社区", "1") for the name of a URL pattern and raises NoReverseMatch: a
    500. Such a `next` leads to the admin's home instead."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return url if url.startswith("/") or "://" in url else ""


urlpatterns = [
    # `?next=` that is not an address: Wagtail's view raises (above).
    path("admin/login/", AdminLoginView.as_view()),
    # Wagtail's deliberate error page (a test of error reporting): not served.
    path("admin/failwhale/", not_found),
    # A chosen document or image whose id is not a number: Wagtail raises.
    re_path(
        r"^admin/(?:documents|images)/chooser/chosen/(?![0-9]{1,19}/$)[^/]*/$",
        not_found,
    ),
    path("admin/choose-external-link/", external_link),
]
