"""The disclosure board's pages: parse, check permission on the object, call one
selector or service, render. Refusals carry the service's status and its message
in Chinese then English; nothing is written."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from yishi.refusals import shows_form_again
from yishi.uploads import file_response
from yishi.visitor_cache import cached_for_visitors

from . import api, permissions, selectors, services
from .models import DisclosureEntry, DisclosureFile, Objection
from .notice import notice_pdf


def _community(slug: str):
    community = selectors.community_or_none(slug)
    if community is None:
        raise Http404
    return community


def _entry(request, entry_id: int) -> DisclosureEntry:
    entry = selectors.entry_or_none(entry_id)
    if entry is None or not permissions.can_view_entry(request.user, entry):
        raise Http404
    return entry


def _refuse(request, message: str, status: int, back: str = ""):
    if "json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": False, "error": message}, status=status)
    context = {"message": message, "back": back}
    return render(
        request, "consultation/disclosures/refused.html", context, status=status
    )


# Kept whole for visitors: publishing, redacting, objecting and replying (each
# increments the register's version) make their copies stale.
@require_safe
@cached_for_visitors
def board(request, community: str):
    community = _community(community)
    kind = request.GET.get("kind", "")[:20]
    page = selectors.board_page(
        community, page=request.GET.get("page", "1")[:9], kind=kind
    )
    context = {
        "community": community,
        "page": page,
        "kind": kind,
        "kinds": DisclosureEntry.Kind.choices,
        "can_draft": permissions.can_draft(request.user, community),
        "can_review": permissions.is_reviewer(request.user, community)
        if request.user.is_authenticated
        else False,
    }
    return render(request, "consultation/disclosures/board.html", context)


@require_safe
def schedule(request, community: str):
    community = _community(community)
    rows = selectors.schedule_of(community)
    context = {"community": community, "rows": rows}
    return render(request, "consultation/disclosures/schedule.html", context)


@require_safe
def verify(request, community: str):
    community = _community(community)
    verdict = selectors.chain_verdict(community.pk)
    context = {"community": community, "verdict": verdict}
    return render(request, "consultation/disclosures/verify.html", context)


@require_safe
def entry_detail(request, entry_id: int):
    return _entry_page(request, _entry(request, entry_id))


def _entry_page(request, entry: DisclosureEntry, refused: dict | None = None):
    """The entry's page; after a refused form on it, `refused` names the box
    (`form`, and `objection` for a reply), the message and the text as typed."""
    context = selectors.entry_context(entry)
    context.update(
        can_manage=permissions.can_manage(request.user, entry),
        can_review=request.user.is_authenticated
        and permissions.can_review(request.user, entry),
        can_object=permissions.can_object(request.user, entry),
        sees_objector=permissions.can_see_objector(request.user, entry),
        refused=refused,
    )
    status = refused["status"] if refused else 200
    template = "consultation/disclosures/entry.html"
    return render(request, template, context, status=status)


def _typed_again(
    request, entry, error, form: str, field: str, objection=None, limit: int = 4100
):
    """A refused text form of the entry's page: the page again with what was typed,
    when the refusal is of the text; else (or for a JSON client) `_refuse`."""
    back = reverse("disclosures:entry", args=[entry.pk])
    wants_json = "json" in request.headers.get("Accept", "")
    if not shows_form_again(error.status) or wants_json:
        return _refuse(request, error.message, error.status, back)
    refused = {
        "form": form,
        "objection": objection,
        "message": error.message,
        "status": error.status,
        "text": request.POST.get(field, "")[:limit],
    }
    return _entry_page(request, entry, refused)


def _record_url(request, entry: DisclosureEntry) -> str:
    return request.build_absolute_uri(reverse("disclosures:entry", args=[entry.pk]))


@require_safe
def entry_notice(request, entry_id: int):
    entry = _entry(request, entry_id)
    context = selectors.entry_context(entry)
    pdf = notice_pdf(context, record_url=_record_url(request, entry))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = (
        f"disclosure-{entry.community.code}-{entry.seq or 'draft-' + str(entry.pk)}.pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = (
        "public, max-age=300" if entry.published else "private, no-store"
    )
    return response


@require_safe
def attachment(request, entry_id: int, sha256: str):
    entry = _entry(request, entry_id)
    if sha256 not in {a["sha256"] for a in entry.attachments}:
        raise Http404
    stored = DisclosureFile.objects.filter(sha256=sha256).first()
    if stored is None or not stored.file:
        raise Http404  # removed by a redaction: only its hash is kept
    return file_response(
        stored.file, download_name=f"disclosure-{entry.pk}-{sha256[:8]}"
    )


ENTRY_ACTIONS = {
    "submit": lambda request, entry: services.disclosure_submit(
        entry_id=entry.pk, actor=request.user
    ),
    "approve": lambda request, entry: services.disclosure_review(
        entry_id=entry.pk,
        actor=request.user,
        approve=True,
        opinion=request.POST.get("opinion", "")[:2000],
    ),
    "return": lambda request, entry: services.disclosure_review(
        entry_id=entry.pk,
        actor=request.user,
        approve=False,
        opinion=request.POST.get("opinion", "")[:2000],
    ),
    "publish": lambda request, entry: services.disclosure_publish(
        entry_id=entry.pk, actor=request.user
    ),
    "redact": lambda request, entry: services.disclosure_redact(
        entry_id=entry.pk,
        actor=request.user,
        reason=request.POST.get("reason", "")[:600],
    ),
}


# The actions whose text box takes back a refused text: the action's box.
TYPED_BOXES = {
    "approve": ("opinion", 2000),
    "return": ("opinion", 2000),
    "redact": ("reason", 600),
}


@require_POST
@login_required
def entry_action(request, entry_id: int):
    entry = _entry(request, entry_id)
    action = ENTRY_ACTIONS.get(request.POST.get("action", ""))
    back = reverse("disclosures:entry", args=[entry.pk])
    if action is None:
        return _refuse(
            request, _("提交的内容格式不正确。 The form could not be read."), 400, back
        )
    try:
        result = action(request, entry)
    except services.DisclosureError as error:
        typed = TYPED_BOXES.get(request.POST.get("action", ""))
        if typed is None:  # submit, publish: nothing was typed
            return _refuse(request, error.message, error.status, back)
        box, limit = typed
        return _typed_again(request, entry, error, box, box, limit=limit)
    messages.success(request, _("已完成。 Done."))
    return redirect("disclosures:entry", entry_id=result.pk)


@require_POST
@login_required
def objection_new(request, entry_id: int):
    entry = _entry(request, entry_id)
    back = reverse("disclosures:entry", args=[entry.pk])
    try:
        services.objection_file(
            entry_id=entry.pk,
            actor=request.user,
            text=request.POST.get("text", "")[:2100],
        )
    except services.DisclosureError as error:
        return _typed_again(request, entry, error, "object", "text", limit=2100)
    messages.success(
        request, _("异议已提交，居民委员会将按期答复。 Your objection was filed.")
    )
    return redirect(back + "#objections")


@require_POST
@login_required
def objection_reply(request, objection_id: int):
    try:
        objection = services.objection_reply(
            objection_id=objection_id,
            actor=request.user,
            text=request.POST.get("text", "")[:4100],
        )
    except services.DisclosureError as error:
        entry_id = (
            Objection.objects.filter(pk=objection_id)
            .values_list("entry_id", flat=True)
            .first()
        )
        if entry_id is None:
            return _refuse(request, error.message, error.status)
        entry = _entry(request, entry_id)
        return _typed_again(request, entry, error, "reply", "text", objection_id)
    messages.success(request, _("已答复。 Replied."))
    return redirect(
        reverse("disclosures:entry", args=[objection.entry_id]) + "#objections"
    )


@require_safe
def api_chain(request, community: str):
    community = _community(community)
    try:
        after = max(0, int(request.GET.get("after", "0")[:9]))
        limit = int(request.GET.get("limit", "500")[:5])
    except ValueError:
        return JsonResponse(
            {"ok": False, "error": "after/limit 须为整数。 Integers."}, status=400
        )
    response = JsonResponse(
        api.chain_json(community, after=after, limit=limit),
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def api_entry(request, entry_id: int):
    entry = selectors.entry_or_none(entry_id)
    if entry is None or not entry.published:
        return JsonResponse(
            {"ok": False, "error": "没有这条公开事项。 No such disclosure."}, status=404
        )
    response = JsonResponse(
        api.entry_json(entry), json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
