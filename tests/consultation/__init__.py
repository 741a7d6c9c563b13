"""Tests of the consultation app."""
