"""Submitting a request: online by a resident, taken on a reception day or at a
station by staff or a representative, or entered by a grid worker for a resident
(the request records who entered it for whom). Everything is checked — text,
category, the building, every image (by content, ≤ 10 MB) — before anything is
written; a refusal leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from neighbourhoods.models import Building, Community, Person, Representative
from yishi.audit import audit_record
from yishi.privacy import normalise_mobile
from yishi.uploads import UploadRefused, upload_check

from .. import permissions
from ..errors import LiaisonError, forbidden, invalid
from ..models import LiaisonRequest, LiaisonStation, ReceptionDay, RequestImage
from .common import clean_text, stats_changed
from .notices import tell_handlers

MAX_IMAGES = 5
Channel, Target = LiaisonRequest.Channel, LiaisonRequest.Target


@dataclass
class Draft:
    """What the form sent, before it is checked."""

    target: str
    category: str
    title: str
    text: str
    community_id: int | None = None
    representative_id: int | None = None
    station_id: int | None = None
    building_id: int | None = None
    public_reply: bool = False
    images: list = field(default_factory=list)
    channel: str = Channel.ONLINE
    reception_day_id: int | None = None
    resident_name: str = ""
    resident_phone: str = ""


def _pick(model, pk, message):
    found = model.objects.filter(pk=pk).first() if pk else None
    if found is None:
        raise invalid(message, code="unknown_target")
    return found


def _where(draft: Draft, actor):
    """(community, representative, station) the request is addressed to."""
    if draft.target == Target.REPRESENTATIVE:
        rep = _pick(
            Representative,
            draft.representative_id,
            "请选择代表委员。 Choose a representative.",
        )
        linked = list(rep.communities.all())
        home = getattr(permissions.person_of(actor), "home_community_id", None)
        chosen = [c for c in linked if c.pk in (draft.community_id, home)]
        if not (chosen or linked):
            raise invalid(
                "该代表委员未联系任何社区。 The representative links no community."
            )
        return (chosen or linked)[0], rep, None
    if draft.target == Target.STATION:
        station = _pick(
            LiaisonStation, draft.station_id, "请选择联络站。 Choose a station."
        )
        return station.community, None, station
    if draft.target == Target.COMMUNITY:
        return (
            _pick(Community, draft.community_id, "请选择社区。 Choose a community."),
            None,
            None,
        )
    raise invalid(
        "请选择诉求提交给谁。 Choose whom the request is for.", code="unknown_target"
    )


NOT_AN_IMAGE = (
    "附件必须是 JPEG 或 PNG 图片（按文件内容识别，不看文件名）。"
    " Attachments must be JPEG or PNG images (recognised by their content)."
)


def _checked_images(images) -> list:
    images = [image for image in images or [] if image]
    if len(images) > MAX_IMAGES:
        raise invalid(f"最多上传 {MAX_IMAGES} 张图片。 At most {MAX_IMAGES} images.")
    checked = []
    for image in images:
        try:
            image = upload_check(image)
        except UploadRefused as refused:
            message = NOT_AN_IMAGE if refused.code == "wrong_type" else refused.message
            raise LiaisonError(
                message, status=refused.status, code=refused.code
            ) from None
        if image.name.endswith(
            ".pdf"
        ):  # a PDF is a file upload_check takes, not an image
            raise invalid(NOT_AN_IMAGE, code="wrong_type")
        checked.append(image)
    return checked


def _who(draft: Draft, actor, community):
    """(resident login, person, name, phone, entered_by) by the channel."""
    if draft.channel == Channel.ONLINE:
        if not permissions.can_submit(actor):
            raise forbidden("请先登录。 Please sign in.")
        person = permissions.person_of(actor)
        name = (
            person.full_name
            if person
            else (actor.get_full_name() or actor.get_username())
        )
        return actor, person, name, getattr(person, "phone", ""), None
    if draft.channel == Channel.GRID:
        worker = permissions.grid_worker_of(actor)
        if worker is None or worker.grid.community_id != community.pk:
            raise forbidden(
                "只有本社区的网格员可以代为提交。 Only this community's grid workers."
            )
    elif not permissions.can_take_for(actor, community):
        raise forbidden()
    name = clean_text(
        draft.resident_name, name_zh="居民姓名", name_en="resident's name", limit=50
    )
    phone = normalise_mobile(draft.resident_phone or "") or ""
    person = (
        Person.objects.filter(home_community=community, phone=phone)
        .select_related("user")
        .first()
        if phone
        else None
    )
    return getattr(person, "user", None), person, name, phone, actor


def _check(draft: Draft, actor):
    community, rep, station = _where(draft, actor)
    who = _who(draft, actor, community)
    fields = {
        "title": clean_text(draft.title, name_zh="标题", name_en="title", limit=100),
        "text": clean_text(
            draft.text, name_zh="诉求内容", name_en="request", limit=4000
        ),
    }
    if draft.category not in LiaisonRequest.Category.values:
        raise invalid("请选择类别。 Choose a category.", code="category")
    if draft.channel not in Channel.values:
        raise invalid("渠道无效。 Unknown channel.", code="channel")
    building = None
    if draft.building_id:
        building = Building.objects.filter(
            pk=draft.building_id, community=community
        ).first()
        if building is None:
            raise invalid(
                "该楼栋不在本社区。 The building is not in this community.",
                code="building",
            )
    day = None
    if draft.channel == Channel.RECEPTION:
        day = ReceptionDay.objects.filter(
            pk=draft.reception_day_id, station__community=community
        ).first()
        if day is None:
            raise invalid(
                "请选择接待日。 Choose the reception day.", code="reception_day"
            )
    images = _checked_images(draft.images)
    return community, rep, station, who, fields, building, day, images


@transaction.atomic
def request_submit(*, actor, draft: Draft, now=None) -> LiaisonRequest:
    """File a request; 422/413 for bad input, 403 for who may not; nothing is
    half-written."""
    now = now or timezone.now()
    community, rep, station, who, fields, building, day, images = _check(draft, actor)
    resident, person, name, phone, entered_by = who
    request = LiaisonRequest.objects.create(
        community=community,
        target=draft.target,
        representative=rep,
        station=station,
        channel=draft.channel,
        reception_day=day,
        resident=resident,
        person=person,
        resident_name=name,
        resident_phone=phone or "",
        entered_by=entered_by,
        category=draft.category,
        building=building,
        public_reply=bool(draft.public_reply),
        submitted_at=now,
        **fields,
    )
    for image in images:
        RequestImage.objects.create(request=request, file=image)
    audit_record(
        actor=actor,
        action="liaison_request_submit",
        target=request,
        community_id=community.pk,
        detail={
            "channel": draft.channel,
            "target": draft.target,
            "images": len(images),
            "entered_for": name if entered_by else "",
        },
    )
    tell_handlers(request, "收到新的居民诉求")
    stats_changed()
    return request
