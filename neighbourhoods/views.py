"""Register views: a resident's own data, and the staff's view of their community."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import permissions, selectors
from .models import Community, Person

PAGE_SIZE = 50


@require_GET
@login_required
def my_data(request):
    person = Person.objects.filter(user=request.user).first()
    if person is not None:
        person = selectors.person_detail(person.pk)
    return render(request, "neighbourhoods/my_data.html", {"person": person})


@require_GET
@login_required
def register_index(request):
    communities = permissions.communities_for(request.user).select_related(
        "subdistrict"
    )
    if not communities:
        raise PermissionDenied
    return render(
        request, "neighbourhoods/register_index.html", {"communities": communities}
    )


@require_GET
@login_required
def register_community(request, community: str):
    community = get_object_or_404(Community, slug=community)
    if not permissions.can_view_register(request.user, community):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:50]
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


@require_GET
@login_required
def person_view(request, person_id: int):
    person = get_object_or_404(
        Person.objects.select_related("home_community"), pk=person_id
    )
    if not permissions.can_view_person(request.user, person):
        raise PermissionDenied
    return render(
        request,
        "neighbourhoods/person.html",
        {"person": selectors.person_detail(person.pk)},
    )
