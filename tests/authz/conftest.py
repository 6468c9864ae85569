"""The module-wide bank of the authorization tests (built once, rolled back at the end)."""
import pytest

from .world import module_bank


@pytest.fixture(scope="module")
def bank(app):
    """The bank every request of the module runs against, each in a rolled-back savepoint."""
    with module_bank(app) as built:
        yield built
