"""Registers each capability's Wagtail hooks (Wagtail looks for wagtail_hooks.py here)."""

from .records import wagtail_hooks as _records_hooks  # noqa: F401
