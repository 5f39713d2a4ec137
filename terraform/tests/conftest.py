import pytest

from hcl import FILES, TERRAFORM, parse


@pytest.fixture(scope="session")
def tf():
    """Every .tf file, parsed: {"modules/alb/main.tf": {...}}."""
    return {path.relative_to(TERRAFORM).as_posix(): parse(path) for path in FILES}
