"""The pact's pages beside the Wagtail page: the diff, the handling report, the
comment, agree and pledge forms, the printable booklet and poster, the drafting
group's steps. Parse, check permission on the object, call one service or
selector; a refusal answers the service's status and its zh/en message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from yishi.converters import ascii_digits
from yishi.uploads import file_response

from . import permissions, printing, selectors, services
from .models import PactPage, PactVersion


def refuse(request, message: str, status: int, back: str = ""):
    return render(
        request,
        "consultation/disclosures/refused.html",
        {"message": message, "back": back},
        status=status,
    )


def _page(page_id: int) -> PactPage:
    page = (
        PactPage.objects.live().filter(pk=page_id).select_related("community").first()
    )
    if page is None:
        raise Http404
    return page


def _version(version_id: int) -> PactVersion:
    """A version of a published pact (a withdrawn one's report, comments and
    pledges are no longer public: 404, as for its page)."""
    return get_object_or_404(
        PactVersion.objects.select_related("page", "page__community").filter(
            page__live=True
        ),
        pk=version_id,
    )


def _number(value) -> int | None:
    if not isinstance(value, str) or not ascii_digits(value) or len(value) > 4:
        return None
    number = int(value)
    return number if 0 < number < 10_000 else None


@require_safe
def diff(request, page_id: int):
    page = _page(page_id)
    numbers = list(page.versions.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404
    old = _number(request.GET.get("from")) or (numbers[-2] if len(numbers) > 1 else 1)
    new = _number(request.GET.get("to")) or numbers[-1]
    result = selectors.pact_diff(page, old, new)
    if result is None:
        return refuse(
            request,
            _("没有这个版本。 No such version."),
            404 if request.GET else 422,
            page.url,
        )
    return render(
        request,
        "residents_pact/diff.html",
        {"page": page, "numbers": numbers, **result},
    )


@require_safe
def report(request, version_id: int):
    version = _version(version_id)
    return render(
        request,
        "residents_pact/report.html",
        {"page": version.page, **selectors.handling_report(version)},
    )


@login_required
@require_POST
def comment(request, version_id: int):
    version = _version(version_id)
    key = request.POST.get("article", "")[:64]
    text, parent = request.POST.get("text", ""), _number(request.POST.get("parent"))
    try:
        services.comment_post(
            version_id=version.pk,
            article_key=key,
            text=text,
            parent_id=parent,
            actor=request.user,
        )
    except services.PactError as error:
        page = version.page
        if error.code in TYPED_WRONG and _may_view(request, page):
            typed = {"article": key, "parent": parent, "text": text}
            return _page_again(request, version, typed, error)
        return refuse(request, error.message, error.status, page.url)
    return redirect(f"{version.page.url}#article-{key}")


# A comment refused for what was typed (empty, too long, a phone or ID-card number,
# a NUL): the pact's page again, the message and the text at that article. The
# service checks the text only after the actor's right to comment on this page, so
# whoever gets the page here may read it.
TYPED_WRONG = ("text", "personal_data")


def _may_view(request, page) -> bool:
    """Wagtail's own view restrictions on the page (its `serve` view checks them;
    `Page.serve`, called below, does not)."""
    return all(r.accept_request(request) for r in page.get_view_restrictions())


def _page_again(request, version, typed: dict, error):
    request.pact_refused = {**typed, "message": error.message}
    response = version.page.specific.serve(request)
    response.status_code = error.status
    return response


@login_required
@require_POST
def agree(request, comment_id: int):
    try:
        comment = services.comment_agree(comment_id=comment_id, actor=request.user)
    except services.PactError as error:
        return refuse(request, error.message, error.status)
    page = comment.version.page
    return redirect(f"{page.url}#article-{comment.article_key}")


@login_required
@require_POST
def pledge(request, version_id: int):
    version = _version(version_id)
    try:
        services.pledge_make(
            version_id=version.pk,
            actor=request.user,
            for_household=request.POST.get("household") == "1",
        )
    except services.PactError as error:
        return refuse(request, error.message, error.status, version.page.url)
    return redirect(f"{version.page.url}?pledged=1#pledges")


def _in_force(page: PactPage) -> PactVersion:
    version = page.versions.filter(state="in_force").first()
    if version is None:
        raise Http404
    return version


@require_safe
def booklet(request, page_id: int):
    page = _page(page_id)
    pdf = printing.booklet_pdf(
        page, _in_force(page), url=request.build_absolute_uri(page.url)
    )
    return _pdf(pdf, f"pact-{page.pk}-booklet.pdf")


@require_safe
def poster(request, page_id: int):
    page = _page(page_id)
    pdf = printing.poster_pdf(
        page, _in_force(page), url=request.build_absolute_uri(page.url)
    )
    return _pdf(pdf, f"pact-{page.pk}-poster.pdf")


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_safe
def receipt(request, version_id: int):
    version = _version(version_id)
    if not permissions.can_manage(request.user, version.page):
        raise Http404
    filing = getattr(version, "filing", None)
    if filing is None:
        raise Http404
    return file_response(filing.receipt, download_name=f"pact-{version.pk}-receipt")
