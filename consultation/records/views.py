"""Decision-record pages: parse, check permission on the object, call one service or
selector, render. A refused action answers with the service's status (403, 404,
409, 422) and its message in Chinese then English; nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from consultation.ballots import exports as ballot_exports
from consultation.ballots.permissions import can_see_tally
from consultation.ballots.selectors import community_or_none
from consultation.disclosures import selectors as disclosure_reads
from consultation.disclosures.notice import notice_pdf as disclosure_notice_pdf
from yishi.converters import ascii_digits
from yishi.refusals import shows_form_again, typed_of
from yishi.uploads import file_response

from . import exports, forms, permissions, selectors, services
from .models import Attachment, Meeting
from .selectors import proposals as proposal_reads

BAD_FORM = "提交的内容不完整或格式不正确。 The form is incomplete or malformed."


def _refuse(request, message: str, status: int, back: str = ""):
    context = {"message": message, "back": back}
    return render(request, "consultation/records/refused.html", context, status=status)


def _form_again(request, form, error, template: str, context: dict):
    """A form the service refused for its content: the same page again, the input as
    sent, the message above the fields (a browser cannot keep a chosen file)."""
    if not shows_form_again(error.status):
        return _refuse(request, error.message, error.status)
    form.add_error(None, error.message)
    if request.FILES:
        form.add_error(None, _("所选文件需要重新选择。"))
    return render(request, template, {**context, "form": form}, status=error.status)


def _field_errors(form) -> list[str]:
    """A refused form's errors, each after its field's label."""
    return [
        f"{form.fields[name].label}：{' '.join(errors)}"
        if name in form.fields and form.fields[name].label
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]


def _matter(matter_id: int):
    matter = selectors.matter_or_none(matter_id)
    if matter is None:
        raise Http404
    return matter


def _community(slug: str):
    community = community_or_none(slug)
    if community is None:
        raise Http404
    return community


@require_http_methods(["GET"])
def matter_detail(request, matter_id: int):
    return _matter_page(request, matter_id)


def _matter_page(request, matter_id: int, refused: dict | None = None):
    """The matter page; after a refused form on it, `refused` names the form, its
    message and what was typed, which goes back into that form's boxes."""
    page = selectors.matter_page(matter_id)
    if page is None:
        raise Http404
    matter = page["matter"]
    page["can_manage"] = permissions.can_manage_matters(request.user, matter.community)
    page["can_supervise"] = permissions.can_record_supervision(
        request.user, matter.community
    )
    page["can_read_files"] = permissions.can_read_attachments(request.user, matter)
    rows = selectors.matter_disclosures(matter.pk)
    page["disclosure_pending"] = any(not row["entry"].published for row in rows)
    page["disclosures"] = _visible(request, matter, rows)
    page["context_pages"] = selectors.context_pages_of(matter)
    page["refused"] = refused
    status = refused["status"] if refused else 200
    return render(request, "consultation/records/matter.html", page, status=status)


def _visible(request, matter, rows: list[dict]) -> list[dict]:
    """Drafts and entries under review are for staff and the supervisory committee."""
    if permissions.can_manage_matters(
        request.user, matter.community
    ) or permissions.can_record_supervision(request.user, matter.community):
        return rows
    return [row for row in rows if row["entry"].published]


@require_POST
@login_required
def matter_disclose(request, matter_id: int):
    """One button: draft the awaited disclosure step's entry and submit it to the
    supervisory committee; the step is recorded when the entry is published."""
    try:
        entry = services.matter_disclose(matter_id=matter_id, actor=request.user)
    except services.RecordsError as error:
        back = reverse("records:matter", args=[matter_id])
        return _refuse(request, error.message, error.status, back)
    messages.success(
        request,
        _("已提交居务监督委员会审核。 Submitted to the supervisory committee."),
    )
    return redirect("disclosures:entry", entry_id=entry.pk)


@require_http_methods(["GET"])
def community_matters(request, community: str):
    community = _community(community)
    context = {
        "community": community,
        "matters": selectors.matters_of_community(community, limit=100),
        "proposals": selectors.proposals_of_community(community),
        "can_manage": permissions.can_manage_matters(request.user, community),
    }
    return render(request, "consultation/records/community.html", context)


@require_http_methods(["GET", "POST"])
def matter_new(request, community: str):
    community = _community(community)
    if not permissions.can_manage_matters(request.user, community):
        raise PermissionDenied
    form = forms.MatterForm(request.POST or None)
    context = {"form": form, "community": community}
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.matter_create(
                community=community, actor=request.user, **form.cleaned_data
            )
        except services.RecordsError as error:
            template = "consultation/records/matter_new.html"
            return _form_again(request, form, error, template, context)
        return redirect("records:matter", matter_id=matter.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "consultation/records/matter_new.html", context, status=status
    )


def _meeting_input(step: str, kind: str, data: dict, context: dict):
    return services.MeetingInput(
        step=step,
        kind=kind,
        held_at=data["held_at"],
        place=data["place"],
        text=data["text"],
        vote_method=data["vote_method"],
        body_id=context["body"].pk if context["body"] else None,
        co_body_id=context["co_body"].pk if context["co_body"] else None,
        present_ids=tuple(data["present"]),
        present_count=data["present_count"],
        constituency_basis=data["constituency_basis"] or "household_representatives",
        yes=data["yes"] or 0,
        no=data["no"] or 0,
        abstain=data["abstain"] or 0,
        ballot_id=data["ballot"],
        dissent=data["dissent"],
        sign_in_sheet=data["sign_in_sheet"],
    )


def _int_or_none(value):
    if value and ascii_digits(str(value)) and len(value) < 19:
        return int(value)
    return None


@require_http_methods(["GET", "POST"])
def matter_meeting(request, matter_id: int):
    page = selectors.matter_page(matter_id) or {}
    matter = page.get("matter") or _matter(matter_id)
    if not permissions.can_manage_matters(request.user, matter.community):
        raise PermissionDenied
    kinds = dict(page["meeting_kinds"])
    kind = request.GET.get("kind") or next(iter(kinds), "")
    if kind not in kinds:
        return _refuse(request, BAD_FORM, 409 if not kinds else 422)
    ids = {
        "body": _int_or_none(request.GET.get("body")),
        "co_body": _int_or_none(request.GET.get("co_body")),
    }
    context = selectors.meeting_form_context(matter, kind, ids)
    form = forms.MeetingForm(
        request.POST or None, request.FILES or None, expected=context["expected"]
    )
    context |= {"form": form, "page": page, "kind": kind, "kinds": kinds}
    template = "consultation/records/meeting_new.html"
    if request.method == "POST":
        if not form.is_valid():
            error = services.RecordsError(BAD_FORM)
            return _form_again(request, form, error, template, context)
        data = _meeting_input(page["awaiting"], kind, form.cleaned_data, context)
        try:
            services.meeting_record(matter_id=matter.pk, actor=request.user, data=data)
        except services.RecordsError as error:
            return _form_again(request, form, error, template, context)
        return redirect("records:matter", matter_id=matter.pk)
    return render(request, template, context)


def _post_action(request, matter_id: int, form_class, call, name: str, may=None):
    """Read a small POST form of the matter page (`name`) and call one service; back
    to the matter page. Refused for its content, the matter page again with what was
    typed in that form. Who `may` send it is checked first (staff by default)."""
    may = may or permissions.can_manage_matters
    if not may(request.user, _matter(matter_id).community):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.RecordsError as error:
            if not shows_form_again(error.status):
                return _refuse(request, error.message, error.status)
            message, details, status = error.message, [], error.status
        else:
            return redirect("records:matter", matter_id=matter_id)
    else:
        message, details, status = BAD_FORM, _field_errors(form), 422
    refused = {
        "form": name,
        "message": message,
        "details": details,
        "status": status,
        "typed": typed_of(request, forms.TEXT_MAX),
        "file_again": bool(request.FILES),
    }
    return _matter_page(request, matter_id, refused)


@require_POST
@login_required
def matter_step(request, matter_id: int):
    return _post_action(
        request,
        matter_id,
        forms.StepForm,
        lambda d: services.matter_step_record(
            matter_id=matter_id, actor=request.user, step=d["step"], text=d["text"]
        ),
        "step",
    )


@require_POST
@login_required
def matter_decide(request, matter_id: int):
    def call(data):
        if data["decision"] == "end":
            return services.matter_end(
                matter_id=matter_id, actor=request.user, text=data["text"]
            )
        return services.matter_revise(
            matter_id=matter_id,
            actor=request.user,
            to_step=data["to_step"],
            text=data["text"],
        )

    return _post_action(request, matter_id, forms.DecideForm, call, "decide")


@require_POST
@login_required
def matter_supervise(request, matter_id: int):
    return _post_action(
        request,
        matter_id,
        forms.OpinionForm,
        lambda d: services.supervision_opinion_record(
            matter_id=matter_id,
            actor=request.user,
            text=d["text"],
            supervisor_id=d["supervisor"],
        ),
        "supervise",
        permissions.can_record_supervision,
    )


@require_POST
@login_required
def matter_attach(request, matter_id: int):
    return _post_action(
        request,
        matter_id,
        forms.AttachmentForm,
        lambda d: services.attachment_add(
            matter_id=matter_id, actor=request.user, title=d["title"], file=d["file"]
        ),
        "attach",
    )


@require_http_methods(["GET"])
def attachment_download(request, matter_id: int, attachment_id: int):
    attachment = (
        Attachment.objects.select_related("matter__community")
        .filter(pk=attachment_id, matter_id=matter_id)
        .first()
    )
    if attachment is None:
        raise Http404
    if not permissions.can_read_attachments(request.user, attachment.matter):
        raise PermissionDenied
    return file_response(attachment.file, download_name=f"attachment-{attachment.pk}")


@require_http_methods(["GET"])
def sign_in_sheet(request, meeting_id: int):
    meeting = Meeting.objects.select_related("community").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    if not permissions.can_read_sign_in_sheet(request.user, meeting):
        raise PermissionDenied
    return file_response(meeting.sign_in_sheet, download_name=f"sign-in-{meeting.pk}")


@require_POST
@login_required
def meeting_confirm(request, meeting_id: int):
    try:
        row = services.attendance_confirm(meeting_id=meeting_id, actor=request.user)
    except services.RecordsError as error:
        return _refuse(request, error.message, error.status)
    return redirect("records:matter", matter_id=row.meeting.matter_id)


# ---- Residents' proposals ----


def _proposal(proposal_id: int):
    proposal = selectors.proposal_or_none(proposal_id)
    if proposal is None:
        raise Http404
    return proposal


@require_http_methods(["GET"])
def proposal_detail(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    context = selectors.proposal_page(proposal, request.user)
    context["can_manage"] = permissions.can_manage_matters(
        request.user, proposal.community
    )
    context["agenda_form"] = forms.AgendaForm()
    context["today"] = timezone.localdate()
    return render(request, "consultation/records/proposal.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def proposal_new(request, community: str):
    community = _community(community)
    form = forms.ProposalForm(request.POST or None)
    context = {"form": form, "community": community}
    template = "consultation/records/proposal_new.html"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                community=community,
                actor=request.user,
                title=data["title"],
                description=data["description"],
                addressed_to=data["addressed_to"],
                compound_id=data["compound"],
            )
        except services.RecordsError as error:
            return _form_again(request, form, error, template, context)
        return redirect("records:proposal", proposal_id=proposal.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def _proposal_action(request, proposal_id: int, call):
    try:
        call()
    except services.RecordsError as error:
        return _refuse(request, error.message, error.status)
    return redirect("records:proposal", proposal_id=proposal_id)


@require_POST
@login_required
def proposal_support(request, proposal_id: int):
    return _proposal_action(
        request,
        proposal_id,
        lambda: services.proposal_support(proposal_id=proposal_id, actor=request.user),
    )


@require_POST
@login_required
def proposal_withdraw(request, proposal_id: int):
    return _proposal_action(
        request,
        proposal_id,
        lambda: services.proposal_support_withdraw(
            proposal_id=proposal_id, actor=request.user
        ),
    )


@require_POST
@login_required
def proposal_agenda(request, proposal_id: int):
    form = forms.AgendaForm(request.POST)
    if not form.is_valid():
        return _refuse(request, BAD_FORM, 422)
    try:
        matter = services.proposal_place_on_agenda(
            proposal_id=proposal_id,
            actor=request.user,
            category=form.cleaned_data["category"],
        )
    except services.RecordsError as error:
        return _refuse(request, error.message, error.status)
    return redirect("records:matter", matter_id=matter.pk)


@require_http_methods(["GET", "POST"])
@login_required
def proposal_paper(request, proposal_id: int):
    proposal = _proposal(proposal_id)
    if not permissions.can_manage_matters(request.user, proposal.community):
        raise PermissionDenied
    query = request.GET.get("unit", "")[:40]
    candidates = proposal_reads.unit_candidates(proposal, query)
    form = forms.PaperSupportForm(request.POST or None, candidates=candidates)
    context = {"proposal": proposal, "form": form, "query": query}
    template = "consultation/records/proposal_paper.html"
    if request.method == "POST":
        if not form.is_valid():
            error = services.RecordsError(BAD_FORM)
            return _form_again(request, form, error, template, context)
        try:
            services.proposal_paper_supports_record(
                proposal_id=proposal_id,
                actor=request.user,
                person_ids=form.cleaned_data["people"],
                sheet=form.cleaned_data["sheet"],
            )
        except services.RecordsError as error:
            return _form_again(request, form, error, template, context)
        return redirect("records:proposal", proposal_id=proposal_id)
    return render(request, template, context)


# ---- printed records ----------------------------------------------------------


def _printed(request, matter_id: int) -> dict:
    page = selectors.matter_page(matter_id)
    if page is None:
        raise Http404
    page["disclosures"] = _visible(
        request, page["matter"], selectors.matter_disclosures(matter_id)
    )
    page["record_url"] = request.build_absolute_uri(
        reverse("records:matter", args=[matter_id])
    )
    return page


def _pdf_response(data: bytes, name: str, kind: str = "application/pdf"):
    response = HttpResponse(data, content_type=kind)
    disposition = "inline" if kind == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def step_notice(request, matter_id: int, line_id: int):
    """One step record as an A4 notice (public, like the matter page)."""
    page = _printed(request, matter_id)
    row = next((r for r in page["timeline"] if r["id"] == line_id), None)
    if row is None:
        raise Http404
    pdf = exports.step_notice_pdf(page, row, record_url=page["record_url"])
    return _pdf_response(pdf, f"matter-{matter_id}-step-{line_id}.pdf")


@require_safe
def dossier_pdf(request, matter_id: int):
    page = _printed(request, matter_id)
    pdf = exports.dossier_pdf(page, record_url=page["record_url"])
    return _pdf_response(pdf, f"matter-{matter_id}-dossier.pdf")


def _tally_sheets(request, page: dict) -> dict[int, bytes]:
    """The tally sheet (A4 PDF) of every ballot a step voted by, as the ballot's
    own page would give it to this reader (none while its tally is hidden)."""
    ballots = {
        row["meeting"].ballot_id: row["meeting"].ballot
        for row in page["timeline"]
        if row["meeting"] is not None and row["meeting"].ballot_id
    }
    return {
        pk: ballot_exports.tally_sheet_pdf(
            ballot_exports.tally_sheet(ballot),
            ballot_url=request.build_absolute_uri(reverse("ballots:ballot", args=[pk])),
        )
        for pk, ballot in ballots.items()
        if can_see_tally(request.user, ballot)
    }


@require_safe
@login_required
def dossier_zip(request, matter_id: int):
    """The dossier with its documents: private files, so only for those who may
    read the matter's attachments (403 otherwise); the scanned sign-in sheets only
    for those who may read them."""
    page = _printed(request, matter_id)
    matter = page["matter"]
    if not permissions.can_read_attachments(request.user, matter):
        raise PermissionDenied
    sheets = permissions.can_read_sign_in_sheet_of_community(
        request.user, matter.community
    )
    notices = {
        row["entry"].pk: disclosure_notice_pdf(
            disclosure_reads.entry_context(row["entry"]),
            record_url=request.build_absolute_uri(
                reverse("disclosures:entry", args=[row["entry"].pk])
            ),
        )
        for row in page["disclosures"]
        if row["entry"].published
    }
    data = exports.dossier_zip(
        page,
        record_url=page["record_url"],
        notices=notices,
        tally_sheets=_tally_sheets(request, page),
        with_files=True,
        with_sign_in_sheets=sheets,
    )
    return _pdf_response(data, f"matter-{matter_id}-dossier.zip", "application/zip")
