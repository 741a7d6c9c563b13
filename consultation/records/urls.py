from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path(
        "communities/<slug:community>/matters/",
        views.community_matters,
        name="community_matters",
    ),
    path(
        "communities/<slug:community>/matters/new/",
        views.matter_new,
        name="matter_new",
    ),
    path(
        "communities/<slug:community>/proposals/new/",
        views.proposal_new,
        name="proposal_new",
    ),
    path("matters/<id:matter_id>/", views.matter_detail, name="matter"),
    path("matters/<id:matter_id>/meeting/", views.matter_meeting, name="meeting_new"),
    path("matters/<id:matter_id>/step/", views.matter_step, name="matter_step"),
    path(
        "matters/<id:matter_id>/steps/<id:line_id>/notice.pdf",
        views.step_notice,
        name="step_notice",
    ),
    path("matters/<id:matter_id>/dossier.pdf", views.dossier_pdf, name="dossier_pdf"),
    path("matters/<id:matter_id>/dossier.zip", views.dossier_zip, name="dossier_zip"),
    path(
        "matters/<id:matter_id>/disclose/",
        views.matter_disclose,
        name="matter_disclose",
    ),
    path("matters/<id:matter_id>/decide/", views.matter_decide, name="matter_decide"),
    path(
        "matters/<id:matter_id>/supervise/",
        views.matter_supervise,
        name="matter_supervise",
    ),
    path("matters/<id:matter_id>/attach/", views.matter_attach, name="matter_attach"),
    path(
        "matters/<id:matter_id>/attachments/<id:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "meetings/<id:meeting_id>/sign-in-sheet/",
        views.sign_in_sheet,
        name="sign_in_sheet",
    ),
    path(
        "meetings/<id:meeting_id>/confirm/",
        views.meeting_confirm,
        name="meeting_confirm",
    ),
    path("proposals/<id:proposal_id>/", views.proposal_detail, name="proposal"),
    path(
        "proposals/<id:proposal_id>/support/",
        views.proposal_support,
        name="proposal_support",
    ),
    path(
        "proposals/<id:proposal_id>/withdraw/",
        views.proposal_withdraw,
        name="proposal_withdraw",
    ),
    path(
        "proposals/<id:proposal_id>/agenda/",
        views.proposal_agenda,
        name="proposal_agenda",
    ),
    path(
        "proposals/<id:proposal_id>/paper/",
        views.proposal_paper,
        name="proposal_paper",
    ),
]
