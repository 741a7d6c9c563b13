"""A community with the people a request meets: an editor, a subdistrict staff
member, a deputy with a login, a resident with a login, a grid worker."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from consultation.liaison import services
from consultation.liaison.models import (
    GridWorker,
    LiaisonRequest,
    LiaisonStation,
    OverdueNotice,
    ReceptionDay,
    RequestImage,
)
from neighbourhoods.models import Representative
from tests.neighbourhoods.factories import (
    BuildingFactory,
    CommunityFactory,
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)


@dataclass
class Liaison:
    community: object
    building: object
    staff: object
    subdistrict_staff: object
    deputy: object
    representative: object
    resident: object
    resident_person: object
    grid_worker: object


def liaison_setup() -> Liaison:
    community = CommunityFactory()
    building = BuildingFactory(community=community)
    staff = StaffAssignmentFactory(community=community).user
    subdistrict_staff = StaffAssignmentFactory(
        community=None, subdistrict=community.subdistrict, role="viewer"
    ).user
    deputy = UserFactory()
    deputy_person = PersonFactory(home_community=community, user=deputy)
    rep = Representative.objects.create(
        person=deputy_person, kind="peoples_congress", level="district"
    )
    rep.communities.add(community)
    resident = UserFactory()
    person = PersonFactory(home_community=community, user=resident, phone="13800138000")
    worker = UserFactory()
    grid = community.grids.create(name="一网格")
    services.grid_worker_assign(actor=None, user=worker, grid=grid)
    return Liaison(
        community,
        building,
        staff,
        subdistrict_staff,
        deputy,
        rep,
        resident,
        person,
        worker,
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def png(name: str = "photo.png", size=(4, 4)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def draft(liaison: Liaison, **fields) -> services.Draft:
    values = {
        "target": "representative",
        "representative_id": liaison.representative.pk,
        "category": "facilities",
        "title": "路灯不亮",
        "text": "3 号楼前的路灯坏了一个月。",
    }
    values.update(fields)
    return services.Draft(**values)


def submitted(liaison: Liaison, now=None, **fields):
    return services.request_submit(
        actor=liaison.resident, draft=draft(liaison, **fields), now=now
    )


def referred(
    liaison: Liaison,
    day: dt.date,
    *,
    route: str = "community",
    unit: str = "社区居委会",
    **fields,
):
    """Submitted, registered, classified by `route` and referred to `unit` on `day`
    (route "referred" gives the petition profile)."""
    request = submitted(liaison, now=at(day), **fields)
    services.request_register(request_id=request.pk, actor=liaison.staff, now=at(day))
    services.request_classify(
        request_id=request.pk, actor=liaison.staff, route=route, now=at(day)
    )
    return services.request_refer(
        request_id=request.pk,
        actor=liaison.staff,
        referred_to=unit,
        now=at(day),
    )


def wipe_liaison() -> None:
    """Delete every liaison row, in an order PROTECT allows (the demo's tests)."""
    for model in (
        OverdueNotice,
        RequestImage,
        LiaisonRequest,
        ReceptionDay,
        LiaisonStation,
        GridWorker,
    ):
        model.objects.all().delete()
