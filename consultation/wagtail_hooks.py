"""Registers each capability's Wagtail hooks (Wagtail looks for them here)."""

from .disclosures import wagtail_hooks as _disclosures_hooks  # noqa: F401
from .liaison import wagtail_hooks as _liaison_hooks  # noqa: F401
from .records import wagtail_hooks as _records_hooks  # noqa: F401
