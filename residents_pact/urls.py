from django.urls import path

from . import staff_views, views

app_name = "pacts"

urlpatterns = [
    path("<int:page_id>/diff/", views.diff, name="diff"),
    path("<int:page_id>/booklet.pdf", views.booklet, name="booklet"),
    path("<int:page_id>/poster.pdf", views.poster, name="poster"),
    path("<int:page_id>/manage/", staff_views.manage, name="manage"),
    path("versions/<int:version_id>/report/", views.report, name="report"),
    path("versions/<int:version_id>/comment/", views.comment, name="comment"),
    path("versions/<int:version_id>/pledge/", views.pledge, name="pledge"),
    path("versions/<int:version_id>/receipt/", views.receipt, name="receipt"),
    path("comments/<int:comment_id>/agree/", views.agree, name="agree"),
]
