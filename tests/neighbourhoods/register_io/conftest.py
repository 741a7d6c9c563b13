"""The register the import tests start from: two communities, buildings, a group."""

from __future__ import annotations

import pytest

from tests.neighbourhoods.roll_helpers import roll_register


@pytest.fixture
def reg():
    return roll_register()
