from django.urls import path

from . import staff_views, views

app_name = "pacts"

urlpatterns = [
    path("<id:page_id>/diff/", views.diff, name="diff"),
    path("<id:page_id>/booklet.pdf", views.booklet, name="booklet"),
    path("<id:page_id>/poster.pdf", views.poster, name="poster"),
    path("<id:page_id>/manage/", staff_views.manage, name="manage"),
    path("versions/<id:version_id>/report/", views.report, name="report"),
    path("versions/<id:version_id>/comment/", views.comment, name="comment"),
    path("versions/<id:version_id>/pledge/", views.pledge, name="pledge"),
    path("versions/<id:version_id>/receipt/", views.receipt, name="receipt"),
    path("comments/<id:comment_id>/agree/", views.agree, name="agree"),
]
