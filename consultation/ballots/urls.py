from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("ballots/", views.ballot_list, name="ballot_list"),
    path("ballots/new/<slug:community>/", views.ballot_new, name="ballot_new"),
    path("ballots/<int:ballot_id>/", views.ballot_detail, name="ballot"),
    path("ballots/<int:ballot_id>/vote/", views.ballot_vote, name="ballot_vote"),
    path("ballots/<int:ballot_id>/receipt/", views.receipt_check, name="receipt"),
    path("ballots/<int:ballot_id>/manage/", views.ballot_manage, name="ballot_manage"),
    path("ballots/<int:ballot_id>/state/", views.ballot_state, name="ballot_state"),
    path("ballots/<int:ballot_id>/paper/", views.paper_enter, name="paper_enter"),
    path(
        "ballots/<int:ballot_id>/secret-paper/",
        views.secret_paper,
        name="secret_paper",
    ),
    path("ballots/<int:ballot_id>/proxies/", views.proxy_add, name="proxy_add"),
    path(
        "ballots/<int:ballot_id>/proxies/<int:proxy_id>/authorisation/",
        views.proxy_authorisation,
        name="proxy_authorisation",
    ),
    path(
        "ballots/<int:ballot_id>/official/document/",
        views.official_document,
        name="official_document",
    ),
    path("ballots/<int:ballot_id>/proxy-vote/", views.proxy_vote, name="proxy_vote"),
    path(
        "ballots/<int:ballot_id>/official/",
        views.official_result,
        name="official_result",
    ),
    path("decide/", views.decision_calculator, name="decision_calculator"),
]
