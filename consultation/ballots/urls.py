from django.urls import path

from . import preparation_views, views

app_name = "ballots"

urlpatterns = [
    path("ballots/", views.ballot_list, name="ballot_list"),
    path("ballots/new/<slug:community>/", views.ballot_new, name="ballot_new"),
    path("ballots/<id:ballot_id>/", views.ballot_detail, name="ballot"),
    path("ballots/<id:ballot_id>/vote/", views.ballot_vote, name="ballot_vote"),
    path("ballots/<id:ballot_id>/receipt/", views.receipt_check, name="receipt"),
    path("ballots/<id:ballot_id>/manage/", views.ballot_manage, name="ballot_manage"),
    path("ballots/<id:ballot_id>/state/", views.ballot_state, name="ballot_state"),
    path("ballots/<id:ballot_id>/paper/", views.paper_enter, name="paper_enter"),
    path(
        "ballots/<id:ballot_id>/secret-paper/",
        views.secret_paper,
        name="secret_paper",
    ),
    path(
        "ballots/<id:ballot_id>/notice/",
        preparation_views.notice_record,
        name="notice_record",
    ),
    path(
        "ballots/<id:ballot_id>/zero-area/",
        preparation_views.zero_area_confirm,
        name="zero_area_confirm",
    ),
    path("ballots/<id:ballot_id>/proxies/", views.proxy_add, name="proxy_add"),
    path(
        "ballots/<id:ballot_id>/proxies/<id:proxy_id>/authorisation/",
        views.proxy_authorisation,
        name="proxy_authorisation",
    ),
    path(
        "ballots/<id:ballot_id>/official/document/",
        views.official_document,
        name="official_document",
    ),
    path("ballots/<id:ballot_id>/proxy-vote/", views.proxy_vote, name="proxy_vote"),
    path(
        "ballots/<id:ballot_id>/official/",
        views.official_result,
        name="official_result",
    ),
    path("decide/", views.decision_calculator, name="decision_calculator"),
]
