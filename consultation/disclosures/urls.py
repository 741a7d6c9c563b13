"""The disclosure board (居务公开), its staff pages and its JSON API (docs/api.md).
Namespace `disclosures`."""

from django.urls import path

from . import staff_views, views

app_name = "disclosures"

urlpatterns = [
    path("disclosures/<slug:community>/", views.board, name="board"),
    path("disclosures/<slug:community>/schedule/", views.schedule, name="schedule"),
    path("disclosures/<slug:community>/verify/", views.verify, name="verify"),
    path("disclosures/<slug:community>/new/", staff_views.draft_new, name="draft_new"),
    path("disclosures/<slug:community>/manage/", staff_views.manage, name="manage"),
    path("disclosures/entry/<id:entry_id>/", views.entry_detail, name="entry"),
    path(
        "disclosures/entry/<id:entry_id>/notice.pdf", views.entry_notice, name="notice"
    ),
    path("disclosures/entry/<id:entry_id>/action/", views.entry_action, name="action"),
    path(
        "disclosures/entry/<id:entry_id>/objections/",
        views.objection_new,
        name="object",
    ),
    path(
        "disclosures/entry/<id:entry_id>/files/<str:sha256>/",
        views.attachment,
        name="attachment",
    ),
    path(
        "disclosures/objections/<id:objection_id>/reply/",
        views.objection_reply,
        name="reply",
    ),
    path(
        "ballots/<id:ballot_id>/disclose/",
        staff_views.ballot_disclose,
        name="ballot_disclose",
    ),
    path(
        "api/disclosures/<slug:community>/chain.json", views.api_chain, name="api_chain"
    ),
    path(
        "api/disclosures/entries/<id:entry_id>.json", views.api_entry, name="api_entry"
    ),
]
