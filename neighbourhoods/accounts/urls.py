from django.urls import path

from . import staff_views, views

app_name = "accounts"

urlpatterns = [
    path("code/", views.code_signin, name="code_signin"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("slip/", views.slip_signin, name="slip_signin"),
    path("welcome/", views.welcome, name="welcome"),
    path("phone/", views.phone_bind, name="phone_bind"),
    path("link/", views.link, name="link"),
    path("links/", staff_views.link_queue, name="link_queue"),
    path("links/<id:request_id>/verify/", staff_views.link_verify, name="link_verify"),
    path("links/<id:request_id>/reject/", staff_views.link_reject, name="link_reject"),
    path("slips/<id:person_id>/", staff_views.slip_issue, name="slip_issue"),
]
