"""Register views: a resident's own data, and the staff's view of their community."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import permissions, selectors, services
from .accounts import selectors as account_selectors
from .models import Person

PAGE_SIZE = 50


@require_GET
@login_required
def my_data(request):
    person = selectors.own_person_detail(request.user)
    return render(request, "neighbourhoods/my_data.html", {"person": person})


@require_GET
@login_required
def register_index(request):
    communities = selectors.register_communities(request.user)
    if not communities:
        raise PermissionDenied
    return render(
        request, "neighbourhoods/register_index.html", {"communities": communities}
    )


@require_GET
@login_required
def register_community(request, community: str):
    community = selectors.community_by_slug(community)
    if community is None:
        raise Http404
    if not permissions.can_view_register(request.user, community):
        raise PermissionDenied
    # PostgreSQL refuses NUL characters in a query: drop them rather than answer 500.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    people = selectors.register_people(community, query=query)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "neighbourhoods/register_community.html",
        {
            "community": community,
            "summary": selectors.register_summary(community),
            "page_obj": page,
            "query": query,
            "can_change": permissions.can_change_register(request.user, community),
        },
    )


def _person_or_404(person_id: int) -> Person:
    person = selectors.person_record(person_id)
    if person is None:
        raise Http404
    return person


def _render_person(request, person: Person, *, contact_errors=(), status=200):
    context = {
        "person": selectors.person_detail(person.pk),
        "can_change": permissions.can_change_person(request.user, person),
        "can_view_register": permissions.can_view_register(
            request.user, person.home_community
        ),
        "contact_errors": contact_errors,
        "slip_state": account_selectors.slip_state(person),
    }
    return render(request, "neighbourhoods/person.html", context, status=status)


@require_GET
@login_required
def person_view(request, person_id: int):
    person = _person_or_404(person_id)
    if not permissions.can_view_person(request.user, person):
        raise PermissionDenied
    return _render_person(request, person)


@require_POST
@login_required
def person_contact(request, person_id: int):
    """Staff change a person's mobile number; a rejected number answers 422."""
    person = _person_or_404(person_id)
    if not permissions.can_change_person(request.user, person):
        raise PermissionDenied
    try:
        services.person_update_contact(
            actor=request.user, person=person, phone=request.POST.get("phone", "")
        )
    except ValidationError as error:
        return _render_person(
            request, person, contact_errors=error.messages, status=422
        )
    messages.success(request, _("手机号已更新。 Mobile number updated."))
    return redirect("neighbourhoods:person", person_id=person.pk)
