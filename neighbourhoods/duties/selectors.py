"""Reads of community duties shaped for one page or one JSON answer, each in a
constant number of queries whatever the number of items, communities or months."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth

from neighbourhoods.models import (
    Building,
    Community,
    Compound,
    District,
    Household,
    Person,
)

from .domain import burden
from .domain import lists as rules
from .domain.admission import State
from .domain.assessment import cut_two
from .models import (
    AdmissionRequest,
    Assessment,
    Authority,
    Cancellation,
    CertificateRefusal,
    IssuedCertificate,
    LedgerFiling,
    ListItem,
    ListVersion,
    MeetingNotice,
    TaskRefusal,
)

ADMITTED_STATES = (State.ADMITTED, State.IN_FORCE, State.COMPLETED)


def district_or_none(slug: str) -> District | None:
    return District.objects.select_related("city").filter(slug=slug).first()


def community_or_none(slug: str) -> Community | None:
    return (
        Community.objects.select_related("subdistrict__district")
        .filter(slug=slug)
        .first()
    )


def district_name(community: Community) -> str:
    district = community.subdistrict.district
    return district.name if district else community.subdistrict.name


def version_in_force(district_id: int | None, day: date) -> ListVersion | None:
    if district_id is None:
        return None
    versions = list(ListVersion.objects.filter(district_id=district_id))
    chosen = rules.in_force(
        [
            rules.Version(v.number, v.effective_from, v.published_at is not None)
            for v in versions
        ],
        day,
    )
    if chosen is None:
        return None
    return next(v for v in versions if v.number == chosen.number)


def _listed_certificates(community: Community, day: date):
    version = version_in_force(community.subdistrict.district_id, day)
    if version is None:
        return ListItem.objects.none()
    return version.items.filter(kind=ListItem.Kind.CERTIFICATE)


def listed_certificate_ids(community: Community, day: date) -> frozenset[int]:
    return frozenset(_listed_certificates(community, day).values_list("pk", flat=True))


def listed_certificate_titles(community: Community, day: date) -> set[str]:
    return set(_listed_certificates(community, day).values_list("title", flat=True))


def listed_certificates(community: Community, day: date) -> list[ListItem]:
    return list(_listed_certificates(community, day))


def lists_page(district: District, day: date, number: int | None = None) -> dict:
    """A version (the one in force, or `number` if published) with its items by
    list, and every published version: three queries."""
    versions = list(
        ListVersion.objects.filter(district=district, published_at__isnull=False)
    )
    if number is not None:
        version = next((v for v in versions if v.number == number), None)
    else:
        version = version_in_force(district.pk, day)
    items = defaultdict(list)
    if version is not None:
        for item in version.items.select_related("department"):
            items[item.kind].append(item)
    return {
        "district": district,
        "version": version,
        "versions": versions,
        "duties": items[ListItem.Kind.DUTY],
        "assistance": items[ListItem.Kind.ASSISTANCE],
        "certificates": items[ListItem.Kind.CERTIFICATE],
    }


def community_tasks(community: Community, day: date) -> dict:
    """What binds a community: its district's lists in force, the admitted tasks
    that entered it, and what it refused."""
    page = lists_page(community.subdistrict.district, day)
    page["community"] = community
    page["tasks"] = list(
        community.admission_requests.filter(state__in=ADMITTED_STATES)
        .select_related("department")
        .order_by("-decided_on")
    )
    page["refusals"] = list(
        community.task_refusals.select_related("department").order_by("-refused_on")
    )
    return page


def department_register(district: District) -> list[dict]:
    """Per department of the district (and of its city): admitted and refused
    requests, and tasks communities marked not admitted. Three queries."""
    departments = list(
        Authority.objects.filter(kind=Authority.Kind.DEPARTMENT)
        .filter(Q(district=district) | Q(level="city", city=district.city_id))
        .prefetch_related(
            Prefetch(
                "admission_requests",
                queryset=AdmissionRequest.objects.filter(
                    state__in=(*ADMITTED_STATES, State.REFUSED)
                ).order_by("-decided_on"),
                to_attr="decided",
            ),
            Prefetch(
                "task_refusals",
                queryset=TaskRefusal.objects.select_related("community").filter(
                    community__subdistrict__district=district
                ),
                to_attr="refused_tasks",
            ),
        )
    )
    return [
        {
            "department": department,
            "admitted": [r for r in department.decided if r.state != State.REFUSED],
            "refused": [r for r in department.decided if r.state == State.REFUSED],
            "not_admitted": department.refused_tasks,
        }
        for department in departments
    ]


def _monthly(queryset, community_path: str, day_field: str, series: str, counts):
    rows = (
        queryset.annotate(month=TruncMonth(day_field))
        .values(community_path, "month")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in rows:
        key = (row[community_path], burden.month_key(row["month"]))
        counts[key][series] += row["n"]


PER_COMMUNITY = (
    (TaskRefusal, "refused_on", "refused"),
    (MeetingNotice, "held_on", "meetings"),
    (LedgerFiling, "filed_on", "ledgers"),
    (IssuedCertificate, "issued_on", "certificates_issued"),
    (CertificateRefusal, "refused_on", "certificates_refused"),
)


def _burden_counts(district: District, start: date, end: date) -> dict:
    """{(community id, month): {series: count}}: one query per series."""
    counts = defaultdict(lambda: defaultdict(int))
    requests = AdmissionRequest.objects.filter(
        decided_on__gte=start,
        decided_on__lt=end,
        communities__subdistrict__district=district,
    )
    for states, series in (
        (ADMITTED_STATES, "admitted"),
        ((State.REFUSED,), "refused"),
    ):
        queryset = requests.filter(state__in=states)
        _monthly(queryset, "communities", "decided_on", series, counts)
    for model, day, series in PER_COMMUNITY:
        queryset = model.objects.filter(
            **{f"{day}__gte": start, f"{day}__lt": end},
            community__subdistrict__district=district,
        )
        _monthly(queryset, "community", day, series, counts)
    return counts


def burden_board(district: District, today: date, months: int = 6) -> dict:
    """Per community and month, the six series, and the district's totals: one
    query for the communities and one per series (eight in all)."""
    keys = burden.last_months(today, months)
    start = burden.month_bounds(keys[0])[0]
    end = burden.month_bounds(keys[-1])[1]
    communities = list(
        Community.objects.filter(subdistrict__district=district).order_by("code")
    )
    counts = _burden_counts(district, start, end)
    rows = []
    for community in communities:
        mine = {
            (series, month): n
            for (cid, month), by_series in counts.items()
            if cid == community.pk
            for series, n in by_series.items()
        }
        rows.append({"community": community, "series": burden.table(keys, mine)})
    totals = {
        name: [sum(row["series"][name][i] for row in rows) for i in range(len(keys))]
        for name in burden.SERIES
    }
    return {"district": district, "months": keys, "rows": rows, "totals": totals}


def certificate_by_token(token: str) -> IssuedCertificate | None:
    return (
        IssuedCertificate.objects.select_related("kind", "community")
        .filter(token=token)
        .first()
    )


def assessments_of(district: District) -> list[Assessment]:
    """Published assessments with their inputs as rows: exact fractions shown cut
    to two decimals (never rounded), never bare fractions."""
    found = list(
        Assessment.objects.filter(system__district=district)
        .select_related("community", "system")
        .order_by("-published_at")
    )
    for assessment in found:
        assessment.shown_total = cut_two(Fraction(assessment.total))
        assessment.rows = [
            {**value, "percent": cut_two(Fraction(value["score"]) * 100)}
            for value in assessment.inputs.values()
        ]
    return found


def cancellations_of(district: District) -> list[Cancellation]:
    return list(Cancellation.objects.filter(district=district))


# Figures a ledger may take from the register instead of asking again.
REGISTER_FIGURES = {
    "households": (Household, "community"),
    "residents": (Person, "home_community"),
    "buildings": (Building, "community"),
    "compounds": (Compound, "communities"),
}


def register_figures(community: Community, fields) -> dict[str, int]:
    return {
        name: REGISTER_FIGURES[name][0]
        .objects.filter(**{REGISTER_FIGURES[name][1]: community})
        .count()
        for name in fields
    }
