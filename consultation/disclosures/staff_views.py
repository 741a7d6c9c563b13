"""Staff pages of the disclosure board: the drafting form, the community's drafts
and review queue with overdue objections, and a ballot's result disclosed in one
action. Each checks permission on the community or ballot before anything else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consultation.ballots import permissions as ballot_permissions
from consultation.ballots import selectors as ballot_selectors
from yishi.converters import ascii_digits

from . import permissions, selectors, services
from .models import DisclosureEntry
from .views import _community, _refuse


def _choice(queryset, value: str):
    if not value:
        return None
    if not ascii_digits(value):
        raise services.DisclosureError(_("选择无效。 Invalid choice."), status=422)
    found = queryset.filter(pk=int(value[:18])).first()
    if found is None:
        raise services.DisclosureError(_("选择无效。 Invalid choice."), status=422)
    return found


def _draft_from_post(request, community) -> DisclosureEntry:
    post = request.POST
    upload = request.FILES.get("file")
    files = ((upload, post.get("file_label", "")[:60] or _("附件")),) if upload else ()
    return services.disclosure_draft(
        community=community,
        actor=request.user,
        kind=post.get("kind", "")[:20],
        title=post.get("title", "")[:210],
        text=post.get("text", "")[:20100],
        period=post.get("period", "")[:10],
        compound=_choice(community.compounds.all(), post.get("compound", "")),
        body=_choice(community.bodies.all(), post.get("body", "")),
        files=files,
    )


@require_http_methods(["GET", "POST"])
@login_required
def draft_new(request, community: str):
    community = _community(community)
    if not permissions.can_draft(request.user, community):
        raise PermissionDenied
    context = {
        "community": community,
        "kinds": DisclosureEntry.Kind.choices,
        "compounds": community.compounds.order_by("name"),
        "bodies": community.bodies.order_by("kind", "name"),
        "values": request.POST,
    }
    if request.method == "POST":
        try:
            entry = _draft_from_post(request, community)
        except services.DisclosureError as error:
            context["error"] = error.message
            return render(
                request,
                "consultation/disclosures/draft_new.html",
                context,
                status=error.status,
            )
        messages.success(request, _("草稿已保存。 Draft saved."))
        return redirect("disclosures:entry", entry_id=entry.pk)
    return render(request, "consultation/disclosures/draft_new.html", context)


@require_http_methods(["GET"])
@login_required
def manage(request, community: str):
    """Drafts and the review queue (staff and the supervisory committee), and the
    overdue replies escalated to the committee and the subdistrict."""
    community = _community(community)
    if not permissions.can_see_drafts(request.user, community):
        raise PermissionDenied
    context = {
        "community": community,
        "drafts": selectors.drafts_of(community),
        "overdue": selectors.overdue_of(community)
        if permissions.can_see_escalations(request.user, community)
        else [],
        "can_draft": permissions.can_draft(request.user, community),
    }
    return render(request, "consultation/disclosures/manage.html", context)


@require_POST
@login_required
def ballot_disclose(request, ballot_id: int):
    ballot = ballot_selectors.ballot_or_none(ballot_id)
    if ballot is None:
        raise Http404
    if not ballot_permissions.can_manage_ballot(request.user, ballot):
        raise PermissionDenied
    back = reverse("ballots:ballot_manage", args=[ballot.pk])
    url = request.build_absolute_uri(reverse("ballots:ballot", args=[ballot.pk]))
    try:
        entry = services.ballot_result_disclose(
            ballot_id=ballot.pk, actor=request.user, ballot_url=url
        )
    except services.DisclosureError as error:
        return _refuse(request, error.message, error.status, back)
    messages.success(
        request, _("已生成结果公开并提交监督委员会审核。 Submitted for review.")
    )
    return redirect("disclosures:entry", entry_id=entry.pk)
