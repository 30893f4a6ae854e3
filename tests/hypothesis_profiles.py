"""Hypothesis profiles for pubterm's property tests.

"ci" (the default) is derandomized, so every run tries the same examples and a failure
in CI reproduces locally; its example counts add up to more than 10,000 across the
property tests while keeping them to seconds.  "long" (``PUBTERM_HYPOTHESIS=long``)
explores with random seeds and ten times the examples, for a run before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

CI = "ci"
LONG = "long"

settings.register_profile(
    CI,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    LONG,
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PROFILE = os.environ.get("PUBTERM_HYPOTHESIS", CI)
settings.load_profile(PROFILE if PROFILE in (CI, LONG) else CI)

SCALE = 10 if PROFILE == LONG else 1


def examples(count: int) -> int:
    """``count`` examples under "ci", ten times as many under "long"."""
    return count * SCALE
