"""Learners at risk (app/cohorts/risk.py)."""

from datetime import UTC, datetime, timedelta

from app.cohorts import risk

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)


def test_failed_twice_without_a_pass():
    attempts = [("m1", False, False), ("m1", False, False),      # stuck at m1
                ("m2", False, False), ("m2", True, False),       # passed in the end
                ("m3", False, False),                            # failed once
                ("final", False, True), ("final", False, True),  # pre-tests never count
                ("m4", False, False), ("m4", False, False), ("m4", False, False)]
    assert risk.failed_twice(attempts) == ["m1", "m4"]
    assert risk.failed_twice([]) == []


def test_inactive_after_n_days():
    eight_days = NOW - timedelta(days=8)
    assert risk.inactive(eight_days, None, NOW, 7)
    assert not risk.inactive(NOW - timedelta(days=7), None, NOW, 7)   # exactly 7: not yet
    assert not risk.inactive(NOW - timedelta(days=2), eight_days, NOW, 7)
    assert risk.inactive(None, eight_days, NOW, 7)          # never active: since joining
    assert not risk.inactive(None, None, NOW, 7)
    assert not risk.inactive(eight_days, None, NOW, 0)      # 0 turns the flag off


def test_flags_in_a_fixed_order_and_none_once_completed():
    old = NOW - timedelta(days=30)
    assert risk.risks(completed=False, last_activity=old, joined_at=old, now=NOW, days=7,
                      stuck_quizzes=["m1"]) == (risk.INACTIVE, risk.FAILED_TWICE)
    assert risk.risks(completed=True, last_activity=old, joined_at=old, now=NOW, days=7,
                      stuck_quizzes=["m1"]) == ()
    assert risk.risks(completed=False, last_activity=NOW, joined_at=old, now=NOW,
                      days=7) == ()
