"""Who may do what with community duties.

- A department officer (a member of a department `Authority`) applies for, puts
  into force, completes and withdraws its own department's admission requests, and
  calls meetings in its name.
- The leadership group's office of the approving level (the city's for a city
  department, the district's for a district department) closes the consultation,
  approves or refuses; the district's office (or its civil affairs bureau) keeps
  the district's lists, ledgers, clean-up record and indicator system.
- Subdistrict editors give the subdistrict's view on requests naming its
  communities; community editors give a community's view, mark tasks "not
  admitted", issue or refuse certificates and log seal uses.
- `None` is the system (the demo, a command): always allowed. Superusers may all.
"""

from __future__ import annotations

from neighbourhoods.models import StaffAssignment
from neighbourhoods.permissions import can_change_register

from .models import AdmissionRequest, Authority

Kind = Authority.Kind


def _system_or_super(user) -> bool | None:
    if user is None:
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return True if user.is_superuser else None


def is_member(user, authority: Authority) -> bool:
    verdict = _system_or_super(user)
    if verdict is not None:
        return verdict
    return authority.members.filter(pk=user.pk).exists()


def office_for(department: Authority) -> Authority | None:
    """The leadership group's office that decides a department's requests."""
    offices = Authority.objects.filter(
        kind=Kind.LEADERSHIP_OFFICE, level=department.level, city=department.city_id
    )
    if department.level == Authority.Level.DISTRICT:
        offices = offices.filter(district=department.district_id)
    return offices.first()


def can_apply(user, department: Authority) -> bool:
    return department.kind == Kind.DEPARTMENT and is_member(user, department)


def can_decide(user, request: AdmissionRequest) -> bool:
    office = office_for(request.department)
    return _system_or_super(user) is True or (
        office is not None and is_member(user, office)
    )


def can_give_subdistrict_view(user, request: AdmissionRequest) -> bool:
    verdict = _system_or_super(user)
    if verdict is not None:
        return verdict
    subdistricts = {c.subdistrict_id for c in request.communities.all()}
    return StaffAssignment.objects.filter(
        user=user,
        role=StaffAssignment.Role.EDITOR,
        subdistrict_id__in=subdistricts,
    ).exists()


def can_act_for_community(user, community) -> bool:
    return can_change_register(user, community)


def can_keep_district(user, district) -> bool:
    """The district's leadership office or civil affairs bureau."""
    verdict = _system_or_super(user)
    if verdict is not None:
        return verdict
    return Authority.objects.filter(
        district=district,
        kind__in=(Kind.LEADERSHIP_OFFICE, Kind.CIVIL_AFFAIRS),
        members=user,
    ).exists()


def departments_of(user):
    if user is None or not user.is_authenticated:
        return Authority.objects.none()
    qs = Authority.objects.filter(kind=Kind.DEPARTMENT)
    return qs if user.is_superuser else qs.filter(members=user)


def can_view_request(user, request: AdmissionRequest) -> bool:
    """Decided requests are public (the register); one under review is seen by
    those taking part in it."""
    if request.state not in (
        AdmissionRequest.State.APPLIED,
        AdmissionRequest.State.SUBDISTRICT_VIEWED,
        AdmissionRequest.State.COMMUNITIES_CONSULTED,
    ):
        return True
    return bool(
        can_apply(user, request.department)
        or can_decide(user, request)
        or can_give_subdistrict_view(user, request)
        or any(can_act_for_community(user, c) for c in request.communities.all())
    )


def can_read_agreement(user, request: AdmissionRequest) -> bool:
    """The signed agreement: the department, the office, the communities' staff."""
    return bool(
        can_apply(user, request.department)
        or can_decide(user, request)
        or any(can_act_for_community(user, c) for c in request.communities.all())
    )
