"""Community duties' pages and JSON (docs/api.md). Namespace `duties`."""

from django.urls import path

from . import office_views, staff_views, views

app_name = "duties"

urlpatterns = [
    # A community's pages first: a community slugged like a district page
    # ("lists", "office") must still reach its own.
    path("duties/community/<slug:community>/", views.community_page, name="community"),
    path(
        "duties/community/<slug:community>/certificates/",
        views.certificate_ask,
        name="ask",
    ),
    path(
        "duties/community/<slug:community>/desk/",
        staff_views.community_desk,
        name="desk",
    ),
    path("duties/<slug:district>/lists/", views.lists, name="lists"),
    path("duties/<slug:district>/register/", views.register, name="register"),
    path("duties/<slug:district>/burden/", views.burden, name="burden"),
    path("duties/<slug:district>/burden.xlsx", views.burden_xlsx, name="burden_xlsx"),
    path("duties/<slug:district>/assessments/", views.assessments, name="assessments"),
    path("duties/<slug:district>/office/", office_views.office_desk, name="office"),
    path("duties/check/<text:token>/", views.certificate_check, name="check"),
    path(
        "duties/notices/certificate/<text:number>/",
        views.certificate_refusal,
        name="certificate_refusal",
    ),
    path(
        "duties/notices/certificate/<text:number>/notice.pdf",
        views.certificate_refusal_pdf,
        name="certificate_refusal_pdf",
    ),
    path(
        "duties/notices/task/<text:number>/notice.pdf",
        views.task_refusal_pdf,
        name="task_refusal_pdf",
    ),
    path(
        "duties/certificates/<id:certificate_id>.pdf",
        staff_views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("duties/department/", staff_views.department_home, name="department"),
    path("duties/admissions/<id:request_id>/", staff_views.admission, name="admission"),
    path(
        "duties/admissions/<id:request_id>/action/",
        staff_views.admission_action,
        name="admission_action",
    ),
    path(
        "duties/admissions/<id:request_id>/agreement/",
        staff_views.agreement,
        name="agreement",
    ),
    path("api/duties/<slug:district>/lists.json", views.api_lists, name="api_lists"),
    path(
        "api/duties/<slug:district>/admissions.json",
        views.api_register,
        name="api_register",
    ),
    path("api/duties/<slug:district>/burden.json", views.api_burden, name="api_burden"),
]
