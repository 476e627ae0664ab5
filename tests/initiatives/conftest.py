"""Fixtures shared by the tests of several capabilities."""

import pytest

from tests.initiatives.browse.browse_data import build_world


@pytest.fixture
def random_base():
    """40 published cases on a random territory tree, two theme levels, several actors each."""
    return build_world(seed=2, cases=40)
