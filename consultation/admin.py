"""Registers each capability's Django-admin screens (Django looks for admin.py here)."""

from .ballots import admin as _ballots_admin  # noqa: F401
from .consultations import admin as _consultations_admin  # noqa: F401
from .disclosures import admin as _disclosures_admin  # noqa: F401
from .liaison import admin as _liaison_admin  # noqa: F401
from .records import admin as _records_admin  # noqa: F401
