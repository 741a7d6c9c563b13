"""Registers each capability's Wagtail hooks (Wagtail looks for them here)."""

from .records import wagtail_hooks as _records_hooks  # noqa: F401
