"""The site's URLs plus views that fail on purpose, for the error-page tests.

Django looks the handlers up on the root URLconf, so they are re-exported here.
"""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from yishi.urls import handler400, handler403, handler404, handler500
from yishi.urls import urlpatterns as site_urlpatterns

# Shaped like a real one (GB 11643 example): the page must not repeat it.
SECRET_IN_EXCEPTION = "11010519491231002X"


def crash(request):
    raise RuntimeError(f"crashed while importing {SECRET_IN_EXCEPTION}")


def suspicious(request):
    raise SuspiciousOperation(f"odd input {SECRET_IN_EXCEPTION}")


urlpatterns = [
    path("crash/", crash),
    path("suspicious/", suspicious),
    *site_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
