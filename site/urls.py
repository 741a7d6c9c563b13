"""URLs: public pages under i18n_patterns (Chinese unprefixed, English under /en/)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from neighbourhoods.accounts.forms import PhoneOrUsernameAuthenticationForm
from yishi import url_guards, views

urlpatterns = [
    *url_guards.urlpatterns,
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("text-size/", views.text_size, name="text_size"),
    path("search/", views.search, name="search"),
    path("my/", views.my_matters, name="my_matters"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="yishi/login.html",
            authentication_form=PhoneOrUsernameAuthenticationForm,
        ),
        name="login",
    ),
    path("account/", include("neighbourhoods.accounts.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("register/", include("neighbourhoods.urls")),
    path("", include("neighbourhoods.duties.urls")),
    path("", include("yishi.notifications.urls")),
    path("", include("consultation.urls")),
    path("pacts/", include("residents_pact.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + (
        urlpatterns
    )

handler400 = "yishi.views.bad_request"
handler403 = "yishi.views.permission_denied"
handler404 = "yishi.views.page_not_found"
handler500 = "yishi.views.server_error"
