"""The API suite's people and small catalog, shared (pytest takes fixtures imported here)."""

from tests.api.conftest import (  # noqa: F401
    anonymous,
    as_other,
    as_staff,
    as_user,
    movies,
    other_user,
    staff,
    throttle_rates,
    user,
)
