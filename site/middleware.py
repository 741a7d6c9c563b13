"""Our middleware: a Content-Security-Policy for our own pages (nothing loads from any
other host), and a cap on request bodies."""

from django.conf import settings
from django.http import HttpResponse

# Our pages use no inline script; styles may carry small inline attributes from Wagtail
# rich text. The Wagtail admin needs inline scripts and is given a looser policy.
SITE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; "
    "base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(("/admin/", "/django-admin/", "/cms/"))
            policy = ADMIN_POLICY if admin or settings.DEBUG else SITE_POLICY
            response["Content-Security-Policy"] = policy
        return response


def request_too_large_message(limit: int) -> str:
    body, file = limit // 2**20, settings.YISHI_UPLOAD_MAX_BYTES // 2**20
    return (
        f"请求内容过大：最多 {body} MB（上传的文件最多 {file} MB）。"
        f" The request is too large: at most {body} MB (files at most {file} MB)."
    )


class RequestBodyLimitMiddleware:
    """Refuse (413) a request whose declared body exceeds YISHI_REQUEST_MAX_BYTES.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves multipart file parts unbounded (they
    go to temporary files), so without this a 30 MB body would be read and parsed
    before a view could refuse it. Nothing here reads the body: under WSGI
    (gunicorn, production's HTTP) it is never read; under ASGI (daphne, development)
    Django spools it before any middleware, but no view sees it. nginx refuses the
    same size first (README, "Production").
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        limit = settings.YISHI_REQUEST_MAX_BYTES
        if length > limit:
            return HttpResponse(
                request_too_large_message(limit),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
