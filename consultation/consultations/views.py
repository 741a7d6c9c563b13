"""Consultation pages: parse, check permission on the object, call one service or
selector, render. A refusal answers with the service's status (403, 404, 409, 422)
and its message in Chinese then English; nothing is written. A form refused for what
was typed (422) is shown again on the consultation's page, as it was sent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from consultation.ballots.selectors import community_or_none

from . import forms, permissions, selectors, services

BAD_FORM = "提交的内容不完整或格式不正确。 The form is incomplete or malformed."
REFUSED = "consultation/records/refused.html"
FEEDBACK_IDS = "feedback-%s"  # the page's step form has a text field too
STEP_TAKEN = (
    "这一步已由他人办理，请刷新页面后再看。"
    " This step was taken meanwhile; reload the page."
)


def _refuse(request, message: str, status: int):
    return render(request, REFUSED, {"message": message}, status=status)


def _community(slug: str):
    community = community_or_none(slug)
    if community is None:
        raise Http404
    return community


@require_http_methods(["GET"])
def community_consultations(request, community: str):
    community = _community(community)
    context = {
        "community": community,
        "consultations": selectors.consultations_of_community(community),
        "can_manage": permissions.can_manage(request.user, community),
    }
    return render(request, "consultation/consultations/community.html", context)


@require_http_methods(["GET"])
def consultation_detail(request, consultation_id: int):
    return _detail(request, consultation_id)


def _detail(request, consultation_id: int, refused=None):
    """The consultation's page; after a form refused for what was typed, `refused`
    = (the form's key, the bound form, the message): the page again with the
    message on top and that form as it was sent."""
    page = selectors.consultation_page(consultation_id)
    if page is None:
        raise Http404
    community = page["consultation"].community
    page["can_manage"] = permissions.can_manage(request.user, community)
    page["can_give_feedback"] = permissions.can_give_feedback(request.user, community)
    page["forms"] = {
        "confirm_topic": forms.ConfirmForm(),
        "give_notice": forms.NoticeForm(),
        "hold_session": forms.SessionForm(),
        "form_opinion": forms.OpinionForm(),
        "text": forms.TextForm(),
        "feedback": forms.TextForm(auto_id=FEEDBACK_IDS),
    }
    status = 200
    if refused is not None:
        step, key, form, page["error"] = refused
        if step is not None and step != page.get("next_action"):
            # Another hand took this step meanwhile: the text is not put back in
            # the box of the step that is now next (it would be sent as that).
            return _refuse(request, STEP_TAKEN, 409)
        page["forms"][key], status = form, 422
    return render(
        request, "consultation/consultations/detail.html", page, status=status
    )


def _typed_wrong(request, consultation_id: int, key: str, form, message, step=None):
    """Refused for what was typed (422): the page again, the form kept (`step`: the
    step it was sent for, if it is a step's form)."""
    return _detail(request, consultation_id, refused=(step, key, form, message))


@require_http_methods(["GET", "POST"])
def consultation_new(request, community: str):
    community = _community(community)
    if not permissions.can_manage(request.user, community):
        raise PermissionDenied
    form = forms.ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                community=community, actor=request.user, **form.cleaned_data
            )
        except services.RecordsError as error:
            return _refuse(request, error.message, error.status)
        return redirect("consultations:detail", consultation_id=consultation.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "community": community}
    return render(
        request, "consultation/consultations/new.html", context, status=status
    )


def _confirm(form, **ids):
    rows = [services.ParticipantInput(*row) for row in form.participant_rows()]
    return services.consultation_confirm(participants=rows, **ids)


def _opinion(form, **ids):
    rows = [services.PositionInput(*row) for row in form.position_rows()]
    data = form.cleaned_data
    return services.consultation_opinion(
        opinion=data["opinion"], dissent=data["dissent"], positions=rows, **ids
    )


#: Each step: its form, and how the service is called with the form.
STEPS = {
    "confirm_topic": (forms.ConfirmForm, _confirm),
    "give_notice": (
        forms.NoticeForm,
        lambda f, **ids: services.consultation_notice(**f.cleaned_data, **ids),
    ),
    "hold_session": (
        forms.SessionForm,
        lambda f, **ids: services.consultation_session(**f.cleaned_data, **ids),
    ),
    "form_opinion": (forms.OpinionForm, _opinion),
    "start_implementation": (
        forms.TextForm,
        lambda f, **ids: services.consultation_implement(**f.cleaned_data, **ids),
    ),
    "publish_result": (
        forms.TextForm,
        lambda f, **ids: services.consultation_publish_result(**f.cleaned_data, **ids),
    ),
    "close": (
        None,
        lambda f, **ids: services.consultation_close(**ids),
    ),
    "withdraw": (
        forms.TextForm,
        lambda f, **ids: services.consultation_withdraw(
            reason=f.cleaned_data["text"], **ids
        ),
    ),
}


_OWN_FORMS = ("confirm_topic", "give_notice", "hold_session", "form_opinion")


@require_POST
@login_required
def consultation_step(request, consultation_id: int, step: str):
    consultation = selectors.consultation_or_none(consultation_id)
    if consultation is None or step not in STEPS:
        raise Http404
    if not permissions.can_manage(request.user, consultation.community):
        raise PermissionDenied
    form_class, call = STEPS[step]
    form = form_class(request.POST) if form_class else None
    key = step if step in _OWN_FORMS else "text"
    if form is not None and not form.is_valid():
        return _typed_wrong(request, consultation_id, key, form, BAD_FORM, step)
    try:
        call(form, consultation_id=consultation_id, actor=request.user)
    except services.RecordsError as error:
        if error.status == 422 and form is not None:
            message = error.message
            return _typed_wrong(request, consultation_id, key, form, message, step)
        return _refuse(request, error.message, error.status)
    return redirect("consultations:detail", consultation_id=consultation_id)


@require_POST
@login_required
def consultation_feedback(request, consultation_id: int):
    consultation = selectors.consultation_or_none(consultation_id)
    if consultation is None:
        raise Http404
    form = forms.TextForm(request.POST, auto_id=FEEDBACK_IDS)
    if not form.is_valid():
        return _typed_wrong(request, consultation_id, "feedback", form, BAD_FORM)
    try:
        services.feedback_leave(
            consultation_id=consultation_id,
            actor=request.user,
            text=form.cleaned_data["text"],
        )
    except services.RecordsError as error:
        if error.status == 422:
            return _typed_wrong(
                request, consultation_id, "feedback", form, error.message
            )
        return _refuse(request, error.message, error.status)
    return redirect("consultations:detail", consultation_id=consultation_id)
