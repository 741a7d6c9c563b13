"""A small duties world: 攀枝花市 > 东区 > one subdistrict > two communities; a
district department, a city department, both leadership offices, staff."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from neighbourhoods.duties import services
from neighbourhoods.models import Authority, City, District, StaffAssignment
from tests.neighbourhoods.factories import (
    CommunityFactory,
    SubdistrictFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 3, 10)


def agreement():
    return SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")


@dataclass
class World:
    city: City
    district: District
    communities: list
    department: Authority
    city_department: Authority
    office: Authority
    city_office: Authority
    officer: object
    office_user: object
    city_office_user: object
    subdistrict_user: object
    community_user: object
    resident: object


def _authority(name, kind, level, city, district=None, user=None):
    authority = Authority.objects.create(
        name=name, kind=kind, level=level, city=city, district=district
    )
    if user is not None:
        authority.members.add(user)
    return authority


@pytest.fixture
def world(db, settings, tmp_path):
    settings.YISHI_VAR_DIR = str(tmp_path)
    city = City.objects.create(name="攀枝花市", code="510400")
    district = District.objects.create(
        city=city, name="东区", code="510402", slug="dongqu"
    )
    subdistrict = SubdistrictFactory(district=district)
    communities = [CommunityFactory(subdistrict=subdistrict) for _ in range(2)]
    users = {
        n: UserFactory(username=n)
        for n in ("officer", "office", "city_office", "street", "staff", "resident")
    }
    StaffAssignment.objects.create(
        user=users["street"], subdistrict=subdistrict, role="editor"
    )
    StaffAssignment.objects.create(
        user=users["staff"], community=communities[0], role="editor"
    )
    K, L = Authority.Kind, Authority.Level
    return World(
        city=city,
        district=district,
        communities=communities,
        department=_authority(
            "东区应急管理局", K.DEPARTMENT, L.DISTRICT, city, district, users["officer"]
        ),
        city_department=_authority("攀枝花市统计局", K.DEPARTMENT, L.CITY, city),
        office=_authority(
            "东区城乡社区建设领导小组办公室",
            K.LEADERSHIP_OFFICE,
            L.DISTRICT,
            city,
            district,
            users["office"],
        ),
        city_office=_authority(
            "攀枝花市城乡社区建设领导小组办公室",
            K.LEADERSHIP_OFFICE,
            L.CITY,
            city,
            None,
            users["city_office"],
        ),
        officer=users["officer"],
        office_user=users["office"],
        city_office_user=users["city_office"],
        subdistrict_user=users["street"],
        community_user=users["staff"],
        resident=users["resident"],
    )


def apply(world, department=None, actor="officer", **changes):
    fields = {
        "communities": world.communities[:1],
        "title": "安全生产隐患排查",
        "reason": "开展辖区隐患排查",
        "legal_basis": "《中华人民共和国安全生产法》第七十七条",
        "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=90),
        "funds_fen": 1_000_000,
        "draft_agreement": "甲方提供经费一万元，乙方协助排查。",
    }
    fields.update(changes)
    return services.admission_apply(
        department=department or world.department,
        actor=world.officer if actor == "officer" else actor,
        **fields,
    )


def admit(world, request, office_user=None):
    services.admission_subdistrict_view(
        request_id=request.pk, actor=world.subdistrict_user, view="同意"
    )
    services.admission_consult_close(
        request_id=request.pk, actor=office_user or world.office_user
    )
    return services.admission_decide(
        request_id=request.pk,
        actor=office_user or world.office_user,
        approve=True,
        reasons="符合准入条件",
        agreement=agreement(),
    )


def publish_lists(world, *, effective=dt.date(2026, 1, 1)):
    version = services.list_version_create(
        district=world.district, effective_from=effective, actor=None
    )
    services.list_item_add(
        version_id=version.pk,
        actor=None,
        kind="duty",
        title="召集居民会议",
        legal_basis="《城市居民委员会组织法》",
    )
    services.list_item_add(
        version_id=version.pk,
        actor=None,
        kind="assistance",
        title="协助开展人口普查",
        legal_basis="《全国人口普查条例》",
        department=world.city_department,
        funds_follow=True,
    )
    kind = services.list_item_add(
        version_id=version.pk,
        actor=None,
        kind="certificate",
        title="居住证明",
        legal_basis="《居住证暂行条例》第九条",
        verifiable_facts="申请人在本社区居住",
        validity_days=90,
    )
    services.list_version_publish(
        version_id=version.pk,
        actor=None,
        now=dt.datetime(2025, 12, 1, 9, tzinfo=dt.UTC),
    )
    return version, kind
