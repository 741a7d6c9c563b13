"""Residents' requests, reception days, the public statistics and archive.
Namespace `liaison`."""

from django.urls import path

from . import views

app_name = "liaison"

urlpatterns = [
    path("liaison/statistics/", views.statistics, name="statistics"),
    path("liaison/archive/", views.archive, name="archive"),
    path("liaison/archive/<id:request_id>/", views.answer, name="answer"),
    path("liaison/new/", views.request_new, name="new"),
    path("liaison/mine/", views.mine, name="mine"),
    path("liaison/dashboard/", views.dashboard, name="dashboard"),
    path("liaison/receptions/new/", views.reception_new, name="reception_new"),
    path(
        "liaison/receptions/<id:reception_id>/summary/",
        views.reception_summary,
        name="reception_summary",
    ),
    path("liaison/r/<id:request_id>/", views.request_detail, name="request"),
    path("liaison/r/<id:request_id>/act/", views.request_act, name="act"),
    path(
        "liaison/r/<id:request_id>/images/<id:image_id>/",
        views.request_image,
        name="image",
    ),
]
