"""Public pages of community duties: the lists, what binds a community, the
register of admitted and refused requests, the burden board (SVG, XLSX, JSON),
published assessments, the certificate check page and the resident's request for a
certificate. Parse, check, call one selector or service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from yishi.converters import ascii_digits

from . import api, charts, exports, selectors, services
from .domain.burden import SERIES
from .domain.seal import valid_on
from .models import CertificateRefusal, TaskRefusal
from .services.common import local_day

# What a refused duties form echoes back: more than its longest field holds (a
# draft agreement, 20,000 characters; yishi.refusals).
TYPED_LIMIT = 25_000


def refuse(request, message: str, status: int):
    if "json" in request.headers.get("Accept", "") or request.path.endswith(".json"):
        return JsonResponse({"error": message}, status=status)
    context = {"message": message}
    return render(
        request, "consultation/disclosures/refused.html", context, status=status
    )


def _district(slug: str):
    district = selectors.district_or_none(slug)
    if district is None:
        raise Http404
    return district


def _community(slug: str):
    community = selectors.community_or_none(slug)
    if community is None or community.subdistrict.district_id is None:
        raise Http404
    return community


def _version_number(request) -> int | None:
    raw = request.GET.get("version", "")
    return int(raw) if ascii_digits(raw) and len(raw) < 6 else None


@require_safe
def lists(request, district: str):
    page = selectors.lists_page(
        _district(district), local_day(), _version_number(request)
    )
    return render(request, "neighbourhoods/duties/lists.html", page)


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _no_district(request):
    return refuse(request, _("没有这个县区。 No such district."), 404)


@require_safe
def api_lists(request, district: str):
    found = selectors.district_or_none(district)
    if found is None:
        return _no_district(request)
    number = _version_number(request)
    page = selectors.lists_page(found, local_day(), number)
    if "version" in request.GET and page["version"] is None:
        return refuse(request, _("没有这一版清单。 No such published version."), 404)
    return _json(api.lists_json(page))


@require_safe
def community_page(request, community: str):
    page = selectors.community_tasks(_community(community), local_day())
    return render(request, "neighbourhoods/duties/community.html", page)


@require_safe
def register(request, district: str):
    district = _district(district)
    rows = selectors.department_register(district)
    context = {"district": district, "rows": rows}
    return render(request, "neighbourhoods/duties/register.html", context)


@require_safe
def api_register(request, district: str):
    found = selectors.district_or_none(district)
    if found is None:
        return _no_district(request)
    return _json(api.register_json(found, selectors.department_register(found)))


SERIES_TITLES = exports.SERIES_LABELS


@require_safe
def burden(request, district: str):
    board = selectors.burden_board(_district(district), local_day())
    labels = [key[5:] for key in board["months"]]
    svg = {
        name: charts.bar_chart(labels, board["totals"][name], title=str(title))
        for name, title in SERIES_TITLES.items()
    }
    context = {**board, "charts": [(SERIES_TITLES[n], svg[n]) for n in SERIES]}
    for row in board["rows"]:
        row["lines"] = [(SERIES_TITLES[n], row["series"][n]) for n in SERIES]
    return render(request, "neighbourhoods/duties/burden.html", context)


@require_safe
def burden_xlsx(request, district: str):
    board = selectors.burden_board(_district(district), local_day())
    response = HttpResponse(
        exports.burden_xlsx(board),
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    response["Content-Disposition"] = f'attachment; filename="burden-{district}.xlsx"'
    return response


@require_safe
def api_burden(request, district: str):
    found = selectors.district_or_none(district)
    if found is None:
        return _no_district(request)
    return _json(api.burden_json(selectors.burden_board(found, local_day())))


@require_safe
def assessments(request, district: str):
    district = _district(district)
    context = {"district": district, "assessments": selectors.assessments_of(district)}
    context["cancellations"] = selectors.cancellations_of(district)
    return render(request, "neighbourhoods/duties/assessments.html", context)


@require_safe
def certificate_check(request, token: str):
    certificate = selectors.certificate_by_token(token[:64])
    if certificate is None:
        raise Http404
    context = {
        "certificate": certificate,
        "valid": valid_on(certificate.issued_on, certificate.valid_until, local_day()),
    }
    return render(request, "neighbourhoods/duties/check.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_ask(request, community: str):
    """A resident asks for a certificate: a listed one is issued by the community;
    any other gets at once the notice naming the department responsible."""
    community = _community(community)
    listed = selectors.listed_certificates(community, local_day())
    if request.method == "POST":
        try:
            refusal = services.certificate_refuse(
                community=community,
                requested=request.POST.get("requested", "")[:300],
                actor=request.user,
            )
        except services.DutyError as error:
            if error.code != "listed":
                return refuse(request, error.message, error.status)
            context = {"community": community, "listed": listed, "on_list": True}
            return render(request, "neighbourhoods/duties/ask.html", context)
        return redirect("duties:certificate_refusal", number=refusal.number)
    context = {"community": community, "listed": listed}
    return render(request, "neighbourhoods/duties/ask.html", context)


@require_safe
def certificate_refusal(request, number: str):
    refusal = (
        CertificateRefusal.objects.select_related("community")
        .filter(number=number[:60])
        .first()
    )
    if refusal is None:
        raise Http404
    return render(request, "neighbourhoods/duties/refusal.html", {"refusal": refusal})


def _lists_url(request, community) -> str:
    path = reverse("duties:lists", args=[community.subdistrict.district.slug])
    return request.build_absolute_uri(path)


@require_safe
def certificate_refusal_pdf(request, number: str):
    refusal = (
        CertificateRefusal.objects.select_related("community__subdistrict__district")
        .filter(number=number[:60])
        .first()
    )
    if refusal is None:
        raise Http404
    pdf = exports.certificate_refusal_pdf(
        refusal, url=_lists_url(request, refusal.community)
    )
    return HttpResponse(pdf, content_type="application/pdf")


@require_safe
def task_refusal_pdf(request, number: str):
    refusal = (
        TaskRefusal.objects.select_related(
            "community__subdistrict__district", "department"
        )
        .filter(number=number[:60])
        .first()
    )
    if refusal is None:
        raise Http404
    url = _lists_url(request, refusal.community)
    pdf = exports.task_refusal_pdf(refusal, url=url, lists_url=url)
    return HttpResponse(pdf, content_type="application/pdf")
