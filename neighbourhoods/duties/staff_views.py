"""Pages for those who act: a department's requests and its application form, a
request's page with the step the viewer may take, and a community's duty desk
(mark a task not admitted, issue a listed certificate, log a seal use, record a
meeting). Permission is asked on the object by the services; refusals carry
their status and zh/en message; nothing half-written."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from neighbourhoods.models import Community
from yishi.converters import ascii_digits
from yishi.refusals import shows_form_again, typed_of
from yishi.uploads import file_response, too_large_message

from . import exports, forms, permissions, selectors, services
from .models import AdmissionRequest, Authority, IssuedCertificate, LedgerTemplate
from .services.common import local_day
from .views import TYPED_LIMIT, refuse

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _apply_fields(request, department) -> dict:
    post = request.POST
    ids = [i for i in post.getlist("communities") if ascii_digits(i)][:200]
    return {
        "department": department,
        "communities": Community.objects.filter(pk__in=ids),
        "title": post.get("title", ""),
        "reason": post.get("reason", ""),
        "legal_basis": post.get("legal_basis", ""),
        "scope": post.get("scope", ""),
        "starts_on": forms.day(post.get("starts_on"), "开始日期"),
        "ends_on": forms.day(post.get("ends_on"), "结束日期", required=False),
        "funds_fen": forms.fen(post.get("funds_yuan", "")),
        "staff": forms.whole(post.get("staff", ""), "随转人员"),
        "purchased_service": post.get("purchased_service", ""),
        "draft_agreement": post.get("draft_agreement", ""),
    }


@login_required
@GET_POST
def department_home(request):
    departments = list(permissions.departments_of(request.user))
    if not departments:
        raise Http404
    if request.method == "POST":
        chosen = next(
            (d for d in departments if str(d.pk) == request.POST.get("department")),
            None,
        )
        if chosen is None:
            raise Http404
        try:
            made = services.admission_apply(
                actor=request.user, **_apply_fields(request, chosen)
            )
        except services.DutyError as error:
            if not shows_form_again(error.status):
                return refuse(request, error.message, error.status)
            return _department_page(request, departments, error)
        return redirect("duties:admission", request_id=made.pk)
    return _department_page(request, departments)


def _department_page(request, departments, error=None):
    """The department's requests and its application form; after a refusal, the
    message above the form and the application as typed."""
    typed = {}
    if error is not None:
        typed = typed_of(request, TYPED_LIMIT)
    context = {
        "departments": departments,
        "requests": AdmissionRequest.objects.filter(department__in=departments)
        .select_related("department")
        .order_by("-applied_at"),
        "communities": Community.objects.filter(
            subdistrict__district__city__in={d.city_id for d in departments}
        ).order_by("code"),
        "error": error.message if error else "",
        "typed": typed,
        "chosen": set(request.POST.getlist("communities")) if error else set(),
    }
    template = "neighbourhoods/duties/department.html"
    return render(request, template, context, status=error.status if error else 200)


def _request(request, request_id: int) -> AdmissionRequest:
    found = (
        AdmissionRequest.objects.select_related("department")
        .prefetch_related("communities", "views__community")
        .filter(pk=request_id)
        .first()
    )
    if found is None or not permissions.can_view_request(request.user, found):
        raise Http404
    return found


@require_http_methods(["GET", "HEAD"])
def admission(request, request_id: int):
    return _admission_page(request, _request(request, request_id))


# The actions of a request's page that carry typed text: the box it goes back to
# when refused for what it says ("{}": the community's id).
TEXT_BOXES = {
    "subdistrict_view": "sv",
    "community_view": "cv{}",
    "approve": "ap",
    "refuse": "rf",
}


def _admission_page(request, found: AdmissionRequest, error=None):
    """A request's page; after a text action refused for what it says, the message
    and the text back in its box (a chosen agreement file is asked for again)."""
    user = request.user
    typed = typed_of(request, TYPED_LIMIT) if error else {}
    mine = [
        c for c in found.communities.all() if permissions.can_act_for_community(user, c)
    ]
    context = {
        "req": found,
        "can_department": permissions.can_apply(user, found.department),
        "can_office": permissions.can_decide(user, found),
        "can_subdistrict": permissions.can_give_subdistrict_view(user, found),
        "my_communities": mine if user.is_authenticated else [],
        "can_agreement": permissions.can_read_agreement(user, found),
        "error": error.message if error else "",
        "typed": typed,
        "box": TEXT_BOXES.get(typed.get("action", ""), "").format(
            typed.get("community", "")
        ),
        "file_again": bool(error and request.FILES),
    }
    template = "neighbourhoods/duties/admission.html"
    return render(request, template, context, status=error.status if error else 200)


ACTIONS = {
    "subdistrict_view": lambda r, p: services.admission_subdistrict_view(
        request_id=r, actor=p.user, view=p.POST.get("text", "")
    ),
    "consult_close": lambda r, p: services.admission_consult_close(
        request_id=r, actor=p.user
    ),
    "approve": lambda r, p: services.admission_decide(
        request_id=r,
        actor=p.user,
        approve=True,
        reasons=p.POST.get("text", ""),
        agreement=p.FILES.get("agreement"),
    ),
    "refuse": lambda r, p: services.admission_decide(
        request_id=r, actor=p.user, approve=False, reasons=p.POST.get("text", "")
    ),
    "enter": lambda r, p: services.admission_enter(request_id=r, actor=p.user),
    "complete": lambda r, p: services.admission_close(
        request_id=r, actor=p.user, withdraw=False
    ),
    "withdraw": lambda r, p: services.admission_close(
        request_id=r, actor=p.user, withdraw=True
    ),
}


@login_required
@require_POST
def admission_action(request, request_id: int):
    found = _request(request, request_id)
    action = request.POST.get("action", "")
    try:
        if action == "community_view":
            community = next(
                c
                for c in found.communities.all()
                if str(c.pk) == request.POST.get("community")
            )
            services.admission_community_view(
                request_id=found.pk,
                community=community,
                actor=request.user,
                agrees=request.POST.get("agrees") == "1",
                view=request.POST.get("text", ""),
            )
        elif action in ACTIONS:
            ACTIONS[action](found.pk, request)
        else:
            raise Http404
    except StopIteration as error:
        raise Http404 from error
    except services.DutyError as error:
        if action in TEXT_BOXES and shows_form_again(error.status):
            return _admission_page(request, found, error)
        return refuse(request, error.message, error.status)
    return redirect("duties:admission", request_id=found.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def agreement(request, request_id: int):
    found = _request(request, request_id)
    if not permissions.can_read_agreement(request.user, found):
        raise Http404
    return file_response(found.signed_agreement, download_name=f"agreement-{found.pk}")


def _desk(request, slug: str):
    community = selectors.community_or_none(slug)
    if community is None or not permissions.can_act_for_community(
        request.user, community
    ):
        raise Http404
    return community


def _found(queryset, raw: str):
    """The row a form names by id, or 404."""
    row = queryset.filter(pk=raw[:12] if ascii_digits(raw) else 0).first()
    if row is None:
        raise Http404
    return row


def _task_refusal(request, community):
    post = request.POST
    return services.task_refuse(
        community=community,
        department=_found(
            Authority.objects.filter(kind=Authority.Kind.DEPARTMENT),
            post.get("department", ""),
        ),
        actor=request.user,
        title=post.get("title", ""),
        received_on=forms.day(post.get("received_on"), "收到日期"),
        note=post.get("note", ""),
    )


def _meeting(request, community):
    post = request.POST
    return services.meeting_notice_record(
        community=community,
        called_by=_found(Authority.objects.all(), post.get("called_by", "")),
        actor=request.user,
        title=post.get("title", ""),
        held_on=forms.day(post.get("held_on"), "会议日期"),
        consent_by=post.get("consent_by", ""),
        consent_on=forms.day(post.get("consent_on"), "同意日期", required=False),
    )


def _ledger(request, community):
    post = request.POST
    template = _found(
        LedgerTemplate.objects.filter(district_id=community.subdistrict.district_id),
        post.get("template", ""),
    )
    return services.ledger_file(
        template=template,
        community=community,
        actor=request.user,
        period=post.get("period", "")[:7],
        values={
            f: post.get(f"value-{i}", "") for i, f in enumerate(template.other_fields)
        },
    )


SEAL_DOCUMENT_LIMIT = 20 * 1024 * 1024


def _seal(request, community):
    post, upload = request.POST, request.FILES.get("document")
    if upload is not None and upload.size > SEAL_DOCUMENT_LIMIT:
        raise services.DutyError(
            too_large_message(SEAL_DOCUMENT_LIMIT), status=413, code="too_large"
        )
    admission = post.get("admission", "")
    return services.seal_use_record(
        community=community,
        actor=request.user,
        reason=post.get("reason", ""),
        admission_id=int(admission) if ascii_digits(admission) else None,
        requester=post.get("requester", ""),
        approver=post.get("approver", ""),
        document=upload.read() if upload is not None else b"",
    )


def _certificate(request, community):
    post = request.POST
    return services.certificate_issue(
        community=community,
        kind_id=forms.whole(post.get("kind", ""), "证明事项"),
        holder=post.get("holder", ""),
        facts=post.get("facts", ""),
        approver=post.get("approver", ""),
        actor=request.user,
    )


DESK_FORMS = {
    "task_refusal": _task_refusal,
    "meeting": _meeting,
    "ledger": _ledger,
    "seal": _seal,
    "certificate": _certificate,
}


def _desk_post(request, community):
    handler = DESK_FORMS.get(request.POST.get("form", ""))
    if handler is None:
        raise Http404
    return handler(request, community)


@login_required
@GET_POST
def community_desk(request, community: str):
    community = _desk(request, community)
    if request.method == "POST":
        try:
            _desk_post(request, community)
        except services.DutyError as error:
            if not shows_form_again(error.status):
                return refuse(request, error.message, error.status)
            return _desk_page(request, community, error)
        return redirect("duties:desk", community=community.slug)
    return _desk_page(request, community)


def _desk_page(request, community, error=None):
    """The desk; after a refusal, the message above the form that was sent, and
    that form (named by its `form` field) filled in as typed."""
    typed, sent = {}, ""
    if error is not None:
        sent = request.POST.get("form", "")
        typed = typed_of(request, TYPED_LIMIT)
    ledgers = LedgerTemplate.objects.filter(
        district_id=community.subdistrict.district_id
    ).select_related("department")
    context = {
        "community": community,
        "error": error.message if error else "",
        "anchor": _DESK_ANCHORS.get(sent, "").format(typed.get("template", "")),
        "file_again": error is not None and bool(request.FILES),
        # Each form's typed values: those sent for the refused form, none for others.
        "typed": {name: typed if name == sent else {} for name in DESK_FORMS},
        "departments": Authority.objects.filter(kind=Authority.Kind.DEPARTMENT),
        "authorities": Authority.objects.all(),
        "meetings": community.meeting_notices.select_related("called_by")[:20],
        "ledgers": [(t, _ledger_typed(t, sent, typed)) for t in ledgers],
        "filings": community.ledger_filings.select_related("template")[:20],
        "admitted": community.admission_requests.filter(
            state__in=("admitted", "in_force")
        ),
        "listed": selectors.listed_certificates(community, local_day()),
        "certificates": community.certificates.select_related("kind")[:50],
        "task_refusals": community.task_refusals.select_related("department")[:50],
        "seal_uses": community.seal_uses.select_related("certificate", "admission")[
            :50
        ],
    }
    template = "neighbourhoods/duties/desk.html"
    return render(request, template, context, status=error.status if error else 200)


# The element each refused form is found at on the desk page.
_DESK_ANCHORS = {
    "task_refusal": "task-refusal",
    "certificate": "certificate",
    "meeting": "meeting",
    "seal": "seal",
    "ledger": "ledger-{}",
}


def _ledger_typed(template, sent: str, typed: dict) -> dict:
    """A ledger form's period and (field, value) pairs: as typed when it was the form
    refused, else empty."""
    mine = sent == "ledger" and typed.get("template") == str(template.pk)
    values = [
        typed.get(f"value-{i}", "") if mine else ""
        for i, _ in enumerate(template.other_fields)
    ]
    return {
        "refused": mine,
        "period": typed.get("period", "") if mine else "",
        "fields": list(zip(template.other_fields, values, strict=True)),
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def certificate_pdf(request, certificate_id: int):
    certificate = (
        IssuedCertificate.objects.select_related("kind", "community")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or not permissions.can_act_for_community(
        request.user, certificate.community
    ):
        raise Http404
    url = request.build_absolute_uri(reverse("duties:check", args=[certificate.token]))
    pdf = exports.certificate_pdf(certificate, check_url=url)
    return HttpResponse(pdf, content_type="application/pdf")
