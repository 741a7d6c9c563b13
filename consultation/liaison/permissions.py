"""Who may do what with a request, a station or a reception day.

- A signed-in user submits a request online; they (its *resident*) follow it, rate
  the reply and may reopen it. Nobody else rates.
- A grid worker (网格员, `GridWorker`) enters a request for a resident of the grid's
  community; the request records who entered it for whom.
- Register editors of the request's community (its staff, its subdistrict's editors)
  and the representative it is addressed to register, classify, refer and close it,
  and take requests on a reception day.
- Only the request's assignee (承办人, named at referral) replies.
- Supervision (督办) is by the subdistrict's staff, or by the representative the
  request is addressed to (代表法第五十二条).
- Extending a petition's conclusion date (延期, 《信访工作条例》第三十四条: approved by
  the handling body's responsible person) is for the community's register editors and
  the subdistrict's staff (the supervising office) — not the representative, and not
  the assignee unless they are one of those.
- A past reception day's summary (接待日小结) is written by the community's register
  editors or by a representative who attended it.
- Staff of the community (viewers too) read its requests; the public reads only the
  anonymised answers residents chose to publish, and statistics.
- `None` as the user is the system (the demo, a management command).
"""

from __future__ import annotations

from neighbourhoods.models import StaffAssignment
from neighbourhoods.permissions import can_change_register, can_view_register

from .models import GridWorker, LiaisonRequest, ReceptionDay


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def person_of(user):
    return getattr(user, "person", None) if _signed_in(user) else None


def is_addressed_representative(user, request: LiaisonRequest) -> bool:
    rep = request.representative
    return _signed_in(user) and rep is not None and rep.person.user_id == user.pk


def representative_ids(user) -> list[int]:
    person = person_of(user)
    if person is None:
        return []
    return list(person.representative_roles.values_list("pk", flat=True))


def grid_worker_of(user) -> GridWorker | None:
    if not _signed_in(user):
        return None
    return (
        GridWorker.objects.select_related("grid__community").filter(user=user).first()
    )


def can_submit(user) -> bool:
    return _signed_in(user)


def can_take_for(user, community) -> bool:
    """Take a request on a resident's behalf at a reception day or station: the
    community's register editors, or a representative who links with it."""
    if user is None:
        return True
    person = person_of(user)
    return can_change_register(user, community) or (
        person is not None
        and person.representative_roles.filter(communities=community).exists()
    )


def can_handle(user, request: LiaisonRequest) -> bool:
    if user is None:
        return True
    return can_change_register(user, request.community) or is_addressed_representative(
        user, request
    )


def can_supervise(user, request: LiaisonRequest) -> bool:
    if user is None or (_signed_in(user) and user.is_superuser):
        return True
    if not _signed_in(user):
        return False
    if is_addressed_representative(user, request):
        return True
    return _subdistrict_staff(user, request.community)


def _subdistrict_staff(user, community) -> bool:
    return StaffAssignment.objects.filter(
        user=user, subdistrict_id=community.subdistrict_id
    ).exists()


def can_extend(user, request: LiaisonRequest) -> bool:
    if user is None or (_signed_in(user) and user.is_superuser):
        return True
    if not _signed_in(user):
        return False
    return can_change_register(user, request.community) or _subdistrict_staff(
        user, request.community
    )


def can_reply(user, request: LiaisonRequest) -> bool:
    if user is None:
        return True
    return _signed_in(user) and request.assignee_id == user.pk


def is_resident(user, request: LiaisonRequest) -> bool:
    if user is None:
        return True
    return _signed_in(user) and request.resident_id == user.pk


def can_view(user, request: LiaisonRequest) -> bool:
    if not _signed_in(user):
        return False
    return (
        user.pk in (request.resident_id, request.entered_by_id, request.assignee_id)
        or can_view_register(user, request.community)
        or is_addressed_representative(user, request)
        or can_supervise(user, request)
    )


def can_manage_receptions(user, community) -> bool:
    if user is None:
        return True
    return can_change_register(user, community)


def can_summarise(user, reception: ReceptionDay) -> bool:
    """Write a reception day's summary: its community's editors or who attended."""
    if user is None:
        return True
    if not _signed_in(user):
        return False
    if can_change_register(user, reception.station.community):
        return True
    return reception.representatives.filter(person__user=user).exists()
