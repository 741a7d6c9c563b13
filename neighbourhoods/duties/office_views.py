"""The district office's desk (the leadership group's office or the civil affairs
bureau): the lists by version (draft a new version, add items to a draft, publish),
the requests waiting for its decision, and the 四取消 record. Parse, check on the
object, call one service; refusals with their status and zh/en message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from consultation.ballots.models import Ballot
from neighbourhoods.models import Community
from yishi.converters import ascii_digits
from yishi.refusals import shows_form_again, typed_of

from . import forms, permissions, selectors, services
from .models import AdmissionRequest, Authority, Cancellation, Indicator, ListItem
from .views import TYPED_LIMIT, refuse


def _item_fields(post) -> dict:
    department = None
    if ascii_digits(post.get("department", "")):
        department = Authority.objects.filter(
            pk=post["department"], kind=Authority.Kind.DEPARTMENT
        ).first()
    days = post.get("validity_days", "").strip()
    return {
        "kind": post.get("kind", ""),
        "title": post.get("title", ""),
        "legal_basis": post.get("legal_basis", ""),
        "department": department,
        "funds_follow": post.get("funds_follow") == "1",
        "form": post.get("work_form", "")[:200],
        "verifiable_facts": post.get("verifiable_facts", "")[:300],
        "validity_days": forms.whole(days, "有效期") if days else None,
    }


def _post(request, district) -> None:
    post, user = request.POST, request.user
    form = post.get("form", "")
    if form == "version":
        services.list_version_create(
            district=district,
            actor=user,
            effective_from=forms.day(post.get("effective_from"), "施行日期"),
            document=post.get("document", ""),
        )
    elif form in ("item", "publish"):
        version = district.list_versions.filter(
            number=forms.whole(post.get("version", ""), "版本号")
        ).first()
        if version is None:
            raise Http404
        if form == "item":
            services.list_item_add(
                version_id=version.pk, actor=user, **_item_fields(post)
            )
        else:
            services.list_version_publish(version_id=version.pk, actor=user)
    elif form == "system":
        _adopt(post, district, user)
    elif form == "assessment":
        _assess(post, district, user)
    elif form == "cancellation":
        services.cancellation_record(
            district=district,
            actor=user,
            category=post.get("category", ""),
            title=post.get("title", ""),
            basis=post.get("basis", ""),
            cancelled_on=forms.day(post.get("cancelled_on"), "取消日期"),
        )
    else:
        raise Http404


ROWS = 6


def _adopt(post, district, user) -> None:
    rows = [
        {
            "key": f"i{n}",
            "name": post.get(f"name-{n}", ""),
            "weight": post.get(f"weight-{n}", "").strip(),
            "source": post.get(f"source-{n}", ""),
            "veto": post.get(f"veto-{n}") == "1",
        }
        for n in range(ROWS)
        if post.get(f"name-{n}", "").strip()
    ]
    for row in rows:
        row["weight"] = forms.whole(row["weight"], row["name"][:20])
    services.indicator_system_adopt(
        district=district,
        actor=user,
        name=post.get("name", ""),
        adopted_on=forms.day(post.get("adopted_on"), "通过日期"),
        indicators=rows,
    )


def _assess(post, district, user) -> None:
    system = district.indicator_systems.first()
    community = (
        district_communities(district)
        .filter(pk=forms.whole(post.get("community", ""), "社区"))
        .first()
    )
    ballot = Ballot.objects.filter(
        pk=forms.whole(post.get("ballot", ""), "测评投票")
    ).first()
    if system is None or community is None or ballot is None:
        raise Http404
    services.assessment_publish(
        system=system,
        community=community,
        actor=user,
        period=post.get("period", ""),
        ballot=ballot,
        other_inputs={
            i.key: {
                "score": post.get(f"score-{i.key}", "")[:40],
                "source": post.get(f"source-{i.key}", ""),
            }
            for i in system.indicators.all()
        },
    )


def district_communities(district):
    return Community.objects.filter(subdistrict__district=district).order_by("code")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def office_desk(request, district: str):
    district = selectors.district_or_none(district)
    if district is None or not permissions.can_keep_district(request.user, district):
        raise Http404
    if request.method == "POST":
        try:
            _post(request, district)
        except services.DutyError as error:
            if not shows_form_again(error.status):
                return refuse(request, error.message, error.status)
            return _office_page(request, district, error)
        return redirect("duties:office", district=district.slug)
    return _office_page(request, district)


OFFICE_FORMS = ("version", "item", "system", "assessment", "cancellation")


def _office_page(request, district, error=None):
    """The office's desk; after a refusal, the message and the form that was sent
    (named by its `form` field) as typed, the other forms empty."""
    sent, post = "", {}
    if error is not None:
        sent = request.POST.get("form", "")
        post = typed_of(request, TYPED_LIMIT)
    typed = {name: post if name == sent else {} for name in OFFICE_FORMS}
    system = district.indicator_systems.prefetch_related("indicators").first()
    context = {
        "district": district,
        "error": error.message if error else "",
        "anchor": OFFICE_ANCHORS.get(sent, "").format(post.get("version", "")),
        "typed": typed,
        "versions": district.list_versions.prefetch_related("items").order_by(
            "-number"
        ),
        "kinds": ListItem.Kind.choices,
        "categories": Cancellation.Category.choices,
        "departments": Authority.objects.filter(kind=Authority.Kind.DEPARTMENT),
        "waiting": _waiting(request, district),
        "system": system,
        "rows": _system_rows(typed["system"]),
        "assessed": _assessed(system, typed["assessment"]),
        "sources": Indicator._meta.get_field("source").choices,
        "communities": district_communities(district),
        "ballots": Ballot.objects.filter(
            kind="rating",
            status=Ballot.Status.PUBLISHED,
            community__subdistrict__district=district,
        ).select_related("community"),
    }
    template = "neighbourhoods/duties/office.html"
    return render(request, template, context, status=error.status if error else 200)


# The element each refused form is found at on the office's page.
OFFICE_ANCHORS = {
    "version": "new-version",
    "item": "item-{}",
    "publish": "item-{}",
    "system": "system",
    "assessment": "assessment",
    "cancellation": "cancellation",
}


def _waiting(request, district) -> list:
    return [
        r
        for r in AdmissionRequest.objects.filter(
            state__in=("subdistrict_viewed", "communities_consulted"),
            communities__subdistrict__district=district,
        )
        .select_related("department")
        .distinct()
        if permissions.can_decide(request.user, r)
    ]


def _system_rows(typed: dict) -> list[dict]:
    """The indicator system form's rows, as typed (empty when not refused)."""
    return [
        {
            "n": n,
            "name": typed.get(f"name-{n}", ""),
            "weight": typed.get(f"weight-{n}", ""),
            "source": typed.get(f"source-{n}", ""),
            "veto": typed.get(f"veto-{n}") == "1",
        }
        for n in range(ROWS)
    ]


def _assessed(system, typed: dict) -> list[tuple]:
    """The assessment form's indicators with their score and source as typed."""
    if system is None:
        return []
    return [
        (i, typed.get(f"score-{i.key}", ""), typed.get(f"source-{i.key}", ""))
        for i in system.indicators.all()
    ]
