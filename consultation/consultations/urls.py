from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path(
        "communities/<slug:community>/consultations/",
        views.community_consultations,
        name="community",
    ),
    path(
        "communities/<slug:community>/consultations/new/",
        views.consultation_new,
        name="new",
    ),
    path(
        "consultations/<id:consultation_id>/", views.consultation_detail, name="detail"
    ),
    path(
        "consultations/<id:consultation_id>/feedback/",
        views.consultation_feedback,
        name="feedback",
    ),
    path(
        "consultations/<id:consultation_id>/<slug:step>/",
        views.consultation_step,
        name="step",
    ),
]
