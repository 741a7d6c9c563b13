"""The district office's desk (the leadership group's office or the civil affairs
bureau): the lists by version (draft a new version, add items to a draft, publish),
the requests waiting for its decision, and the 四取消 record. Parse, check on the
object, call one service; refusals with their status and zh/en message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import forms, permissions, selectors, services
from .models import AdmissionRequest, Authority, Cancellation, ListItem
from .views import refuse


def _item_fields(post) -> dict:
    department = None
    if post.get("department", "").isdigit():
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
        "form": post.get("form", "")[:200],
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
            return refuse(request, error.message, error.status)
        return redirect("duties:office", district=district.slug)
    waiting = [
        r
        for r in AdmissionRequest.objects.filter(
            state__in=("subdistrict_viewed", "communities_consulted"),
            communities__subdistrict__district=district,
        )
        .select_related("department")
        .distinct()
        if permissions.can_decide(request.user, r)
    ]
    context = {
        "district": district,
        "versions": district.list_versions.prefetch_related("items").order_by(
            "-number"
        ),
        "kinds": ListItem.Kind.choices,
        "categories": Cancellation.Category.choices,
        "departments": Authority.objects.filter(kind=Authority.Kind.DEPARTMENT),
        "waiting": waiting,
    }
    return render(request, "neighbourhoods/duties/office.html", context)
