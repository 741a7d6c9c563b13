"""The register of places, property units, people, households, ownership and bodies.

Shape per ../shared/domain/RULES.md §8.2:
Subdistrict > Community > (ResidentsGroup, Grid);
Compound (物业管理区域, may span communities) > Building > Entrance > ExclusivePart.
Household (residence unit, 户代表 voting) is kept apart from ExclusivePart
(ownership unit, owners' votes) and from Person.

The models live by what they are for — `places`, `people`, `bodies`, `staff` — and are
gathered here, so Django gives them this app's label (migrations stay in
neighbourhoods/migrations/) and `from neighbourhoods.models import X` keeps working.
"""

from ..accounts.models import (
    AccountLinkRequest,
    PhoneCode,
    ResidentAccount,
    SignInSlip,
)
from ..duties.models import (
    AdmissionRequest,
    Assessment,
    Authority,
    Cancellation,
    CertificateRefusal,
    CommunityView,
    Indicator,
    IndicatorSystem,
    IssuedCertificate,
    LedgerFiling,
    LedgerTemplate,
    ListItem,
    ListVersion,
    MeetingNotice,
    SealUse,
    TaskRefusal,
)
from .bodies import Body, Membership, Representative
from .people import Developer, Household, Ownership, Person, Residency
from .places import (
    Building,
    City,
    Community,
    Compound,
    District,
    Entrance,
    ExclusivePart,
    Grid,
    ResidentsGroup,
    Subdistrict,
)
from .staff import ImportBatch, StaffAssignment

__all__ = [
    "AccountLinkRequest",
    "AdmissionRequest",
    "Assessment",
    "Authority",
    "Body",
    "Building",
    "Cancellation",
    "CertificateRefusal",
    "City",
    "Community",
    "CommunityView",
    "Compound",
    "Developer",
    "District",
    "Entrance",
    "ExclusivePart",
    "Grid",
    "Household",
    "ImportBatch",
    "Indicator",
    "IndicatorSystem",
    "IssuedCertificate",
    "LedgerFiling",
    "LedgerTemplate",
    "ListItem",
    "ListVersion",
    "MeetingNotice",
    "Membership",
    "Ownership",
    "Person",
    "PhoneCode",
    "Representative",
    "Residency",
    "ResidentAccount",
    "ResidentsGroup",
    "SealUse",
    "SignInSlip",
    "StaffAssignment",
    "Subdistrict",
    "TaskRefusal",
]

from .. import pages  # noqa: F401  Wagtail pages live in pages.py
