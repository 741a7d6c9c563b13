"""ASGI entry point with the proposed changes applied (tests/bench/proposed.py)."""

from tests.bench import proposed
from yishi.asgi import application

proposed.apply()

__all__ = ["application"]
