"""Tally sheets, voter lists (`export_views`) and the published-tally JSON API
(`api_views`); see docs/api.md. Namespace `ballot_exports`."""

from django.urls import path

from . import api_views
from . import export_views as views

app_name = "ballot_exports"

urlpatterns = [
    path("ballots/<id:ballot_id>/tally.pdf", views.tally_pdf, name="tally_pdf"),
    path("ballots/<id:ballot_id>/tally.xlsx", views.tally_xlsx, name="tally_xlsx"),
    path("ballots/<id:ballot_id>/voters.xlsx", views.voters_xlsx, name="voters_xlsx"),
    path("ballots/<id:ballot_id>/voters.csv", views.voters_csv, name="voters_csv"),
    path("api/ballots/", api_views.api_ballots, name="api_ballots"),
    path(
        "api/ballots/<id:ballot_id>/tally.json",
        api_views.api_tally,
        name="api_tally",
    ),
]
