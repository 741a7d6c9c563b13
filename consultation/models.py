"""The app's models, gathered from its capabilities so Django finds them here.

Each capability keeps its models in its own package (`consultation/ballots/models.py`,
…); importing them here gives them the app label `consultation`, so migrations stay in
`consultation/migrations/`.
"""

from .ballots.models import (  # noqa: F401
    Ballot,
    BallotNotice,
    BallotOption,
    Channel,
    CommunityVotingSettings,
    Participation,
    Proxy,
    PublishedTally,
    RollEntry,
    SecretPaper,
    VoteConflict,
    ZeroAreaConfirmation,
)
from .consultations.models import (  # noqa: F401
    Consultation,
    Feedback,
    Participant,
    Position,
)
from .disclosures.models import (  # noqa: F401
    ChainHead,
    DisclosureEntry,
    DisclosureFile,
    DisclosureSettings,
    EscalationNotice,
    Objection,
)
from .liaison.models import (  # noqa: F401
    GridWorker,
    LiaisonRequest,
    LiaisonStation,
    OverdueNotice,
    ReceptionDay,
    RequestImage,
)
from .records.models import (  # noqa: F401
    Attachment,
    Matter,
    MatterStep,
    Meeting,
    MeetingAttendance,
    ProposalGroupAct,
    ProposalSupport,
    ResidentProposal,
)
from .records.pages import MatterContextPage  # noqa: F401
from .rooms.models import (  # noqa: F401
    AgendaItem,
    Reaction,
    Room,
    RoomEvent,
    RoomParticipant,
    SpeakerRequest,
    Statement,
)
