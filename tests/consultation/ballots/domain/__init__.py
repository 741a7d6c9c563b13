"""Tests of the pure-Python consultation domain (no database, no Django)."""
