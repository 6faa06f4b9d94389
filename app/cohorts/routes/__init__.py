"""Workshop pages, one module per area. Views parse forms, call one service, and
render or redirect; permission checks are in the services (through access.py)."""

from app.cohorts.routes import (  # noqa: F401  (importing registers the views)
    _common,
    analytics,
    content,
    learners,
    sessions,
    workshops,
)
