"""The app's URLs, gathered from its capabilities."""

from django.urls import include, path

urlpatterns = [
    path("", include("consultation.ballots.urls")),
    path("", include("consultation.ballots.export_urls")),
    path("", include("consultation.records.urls")),
    path("", include("consultation.disclosures.urls")),
    path("", include("consultation.consultations.urls")),
    path("", include("consultation.rooms.urls")),
    path("", include("consultation.liaison.urls")),
]
