"""What the demo's tests share: running the command, ages, a fingerprint of the
content by natural keys, and wiping what the demo created."""

import datetime as dt
import hashlib
import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from neighbourhoods.duties import models as duties
from neighbourhoods.models import (
    Body,
    Building,
    City,
    Community,
    Compound,
    Developer,
    District,
    Entrance,
    ExclusivePart,
    Grid,
    Household,
    Membership,
    Ownership,
    Person,
    Representative,
    Residency,
    ResidentsGroup,
    StaffAssignment,
    Subdistrict,
)
from neighbourhoods.pages import (
    CommunityPage,
    CompoundPage,
    PartyBranchPage,
    RepresentativePage,
)
from yishi.home import home_page_ensure
from yishi.models import ArticlePage

USERNAMES = (
    "admin",
    "resident",
    "owner",
    "committee",
    "secretary",
    "deputy",
    "staff_yangguang",
    "staff_bingcaogang",
)
# The community duties' demo logins (neighbourhoods/duties/demo.py), printed last.
DUTIES_LOGINS = ("dept_officer", "duty_office")
TODAY = dt.date.today()


def seed() -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def age(birth: dt.date) -> int:
    return (
        TODAY.year - birth.year - ((TODAY.month, TODAY.day) < (birth.month, birth.day))
    )


# ---- A fingerprint of the content, by natural keys only (never primary keys) ----

_PART = ("building__compound__slug", "building__number", "entrance__number", "number")
_FINGERPRINT = (
    (Subdistrict, ("code", "name")),
    (Community, ("code", "name", "slug", "urban_rural_code", "subdistrict__code")),
    (ResidentsGroup, ("community__code", "number", "name")),
    (Grid, ("community__code", "name", "code", "worker_name", "worker_phone")),
    (Developer, ("name",)),
    (
        Compound,
        ("slug", "name", "address", "developer_name", "subdistrict__code"),
    ),
    (Compound.communities.through, ("compound__slug", "community__code")),
    (Building, ("compound__slug", "number", "community__code", "grid__name")),
    (Entrance, ("building__compound__slug", "building__number", "number")),
    (
        ExclusivePart,
        (
            *_PART[:2],
            "entrance__number",
            "number",
            "kind",
            "area_register",
            "area_survey",
            "area_contract",
            "unit_code",
        ),
    ),
    (
        Person,
        (
            "id_number_hash",
            "id_number_last4",
            "full_name",
            "birth_date",
            "phone",
            "home_community__code",
            "user__username",
        ),
    ),
    (
        Household,
        (
            "community__code",
            "number",
            "residents_group__number",
            *(f"dwelling__{f}" for f in _PART),
        ),
    ),
    (
        Residency,
        (
            "person__id_number_hash",
            "household__community__code",
            "household__number",
            "kind",
            "is_representative",
            "is_group_representative",
            "start_date",
            "end_date",
        ),
    ),
    (
        Ownership,
        (
            *(f"part__{f}" for f in _PART),
            "person__id_number_hash",
            "developer__name",
            "basis",
            "nominated_voter",
            "start_date",
            "end_date",
        ),
    ),
    (Body, ("community__code", "compound__slug", "kind", "name")),
    (
        Membership,
        (
            "body__community__code",
            "body__compound__slug",
            "body__kind",
            "person__id_number_hash",
            "role",
            "term_start",
            "term_end",
        ),
    ),
    (
        Representative,
        ("person__id_number_hash", "kind", "level", "title", "term_start", "term_end"),
    ),
    (
        Representative.communities.through,
        ("representative__person__id_number_hash", "community__code"),
    ),
    (
        StaffAssignment,
        ("user__username", "community__code", "subdistrict__code", "role"),
    ),
    (
        get_user_model(),
        ("username", "password", "first_name", "is_active", "is_staff", "is_superuser"),
    ),
    (ArticlePage, ("url_path", "title", "summary", "body", "live")),
    (CommunityPage, ("url_path", "title", "community__code", "live")),
    (CompoundPage, ("url_path", "title", "compound__slug", "live")),
    # Their slugs carry primary keys, which a wiped database does not reuse.
    (PartyBranchPage, ("depth", "title", "body__name", "live")),
    (RepresentativePage, ("depth", "title", "representative__title", "live")),
)


def fingerprint() -> str:
    sha = hashlib.sha256()
    for model, fields in _FINGERPRINT:
        rows = sorted(repr(row) for row in model.objects.values_list(*fields))
        sha.update(f"{model._meta.label}:{len(rows)}\n".encode())
        for row in rows:
            sha.update(row.encode() + b"\n")
    return sha.hexdigest()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _wipe_pacts() -> None:
    """The pacts' records point to disclosures, ballots, matters and pages."""
    from residents_pact import models as pacts

    pacts.PactVersion.objects.update(based_on=None)
    pacts.PactComment.objects.update(parent=None)
    for model in (
        pacts.Pledge,
        pacts.CommentAgreement,
        pacts.PactComment,
        pacts.LegalityReview,
        pacts.PactFiling,
        pacts.PactVersion,
    ):
        model.objects.all().delete()


DUTIES_MODELS = (
    duties.SealUse,
    duties.CommunityView,
    duties.TaskRefusal,
    duties.CertificateRefusal,
    duties.IssuedCertificate,
    duties.MeetingNotice,
    duties.LedgerFiling,
    duties.LedgerTemplate,
    duties.Cancellation,
    duties.Assessment,
    duties.Indicator,
    duties.IndicatorSystem,
    duties.AdmissionRequest,
    duties.ListItem,
    duties.ListVersion,
    duties.Authority,
)


def _wipe_rooms() -> None:
    """The live rooms' rows, before the meetings they belong to."""
    from consultation.rooms import models as rooms

    for model in (
        rooms.Reaction,
        rooms.Statement,
        rooms.SpeakerRequest,
        rooms.RoomEvent,
        rooms.AgendaItem,
        rooms.RoomParticipant,
        rooms.Room,
    ):
        model.objects.all().delete()


def _wipe_later_capabilities() -> None:
    """What points to the register, ballots and matters, first."""
    from consultation.records.pages import MatterContextPage
    from tests.consultation.disclosures.factories import wipe_disclosures
    from tests.consultation.liaison.factories import wipe_liaison

    wipe_liaison()
    _wipe_pacts()
    wipe_disclosures()
    MatterContextPage.objects.all().delete()  # they protect their matters
    _wipe_rooms()


def wipe_demo() -> None:
    """Delete everything the demo created, in an order PROTECT allows."""
    from consultation.ballots import models as ballots
    from consultation.consultations import models as consultations
    from consultation.records import models as records

    _wipe_later_capabilities()
    for model in (
        *DUTIES_MODELS,
        consultations.Feedback,
        consultations.Position,
        consultations.Participant,
        consultations.Consultation,
        records.ProposalGroupAct,
        records.ProposalSupport,
        records.ResidentProposal,
        records.Attachment,
        records.MatterStep,
        records.MeetingAttendance,
        records.Meeting,
        records.Matter,
        ballots.Participation,
        ballots.VoteConflict,
        ballots.SecretPaper,
        ballots.PublishedTally,
        ballots.Proxy,
        ballots.RollEntry,
        ballots.BallotOption,
        ballots.Ballot,
    ):
        model.objects.all().delete()
    for page in home_page_ensure().get_children():
        page.delete()
    for model in (
        StaffAssignment,
        Representative,
        Membership,
        Body,
        Ownership,
        Residency,
        Household,
        Person,
        Developer,
        ExclusivePart,
        Entrance,
        Building,
        Grid,
        ResidentsGroup,
        Compound,
        Community,
        Subdistrict,
        District,
        City,
    ):
        model.objects.all().delete()
    get_user_model().objects.filter(username__in=USERNAMES + DUTIES_LOGINS).delete()
