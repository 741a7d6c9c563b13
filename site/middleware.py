"""Content-Security-Policy for our own pages: nothing loads from any other host."""

from django.conf import settings

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
