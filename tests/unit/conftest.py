"""Fixtures of the unit tests."""

import pytest

from tests.unit.fakes import World


@pytest.fixture
def world() -> World:
    """A fresh set of in-memory ports."""
    return World()
