"""The attendance rate and the QR check-in window: pure functions."""

from datetime import UTC, datetime, timedelta

from app.cohorts import attendance as att

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_rate_counts_present_over_held_sessions_without_the_excused():
    rate = att.learner_rate([1, 2, 3, 4, 5], {1: "present", 2: "present", 3: "excused",
                                              4: "absent", 5: "present"})
    assert (rate.present, rate.absent, rate.excused, rate.counted) == (3, 1, 1, 4)
    assert rate.value == 0.75 and rate.percent == 75


def test_held_sessions_without_a_mark_count_as_absent_and_marks_of_other_sessions_are_ignored():
    rate = att.learner_rate([1, 2], {1: "present", 9: "present"})
    assert (rate.present, rate.absent) == (1, 1) and rate.percent == 50


def test_no_session_held_yet_means_no_rate():
    rate = att.learner_rate([], {})
    assert rate.counted == 0 and rate.value is None and rate.percent is None
    assert not att.meets_minimum(rate, 75)
    assert att.meets_minimum(rate, 0)


def test_every_session_excused_means_no_rate():
    rate = att.learner_rate([1, 2], {1: "excused", 2: "excused"})
    assert rate.percent is None and rate.excused == 2


def test_all_absent_is_zero():
    rate = att.learner_rate([1, 2, 3], {1: "absent", 2: "absent"})
    assert rate.percent == 0 and rate.value == 0 and not att.meets_minimum(rate, 1)


def test_only_started_sessions_are_held():
    sessions = [(1, T0 - timedelta(days=1)), (2, T0), (3, T0 + timedelta(minutes=1))]
    assert att.held(sessions, T0) == [1, 2]


def test_minimum_is_compared_exactly_and_the_percentage_rounds_down():
    two_thirds = att.Rate(2, 1, 0)
    assert two_thirds.percent == 66
    assert att.meets_minimum(two_thirds, 66) and not att.meets_minimum(two_thirds, 67)
    just_below = att.Rate(373, 127, 0)          # 74.6 %
    assert just_below.percent == 74 and not att.meets_minimum(just_below, 75)
    assert att.meets_minimum(att.Rate(3, 1, 5), 75)


def test_session_rate_over_members():
    rate = att.session_rate([10, 11, 12, 13], {10: "present", 11: "excused", 12: "absent"})
    assert (rate.present, rate.absent, rate.excused) == (1, 2, 1) and rate.percent == 33


def test_checkin_window_edges_are_included():
    start, end, grace = T0, T0 + timedelta(hours=3), timedelta(minutes=15)
    opens, closes = att.checkin_window(start, end, grace)
    assert opens == T0 - grace and closes == end + grace
    assert att.checkin_state(opens - timedelta(seconds=1), start, end, grace) == att.TOO_EARLY
    assert att.checkin_state(opens, start, end, grace) == att.OPEN
    assert att.checkin_state(start + timedelta(hours=1), start, end, grace) == att.OPEN
    assert att.checkin_state(closes, start, end, grace) == att.OPEN
    assert att.checkin_state(closes + timedelta(seconds=1), start, end, grace) == att.TOO_LATE


def test_checkin_window_with_no_grace():
    start, end = T0, T0 + timedelta(hours=1)
    assert att.checkin_state(T0 - timedelta(seconds=1), start, end, timedelta(0)) == att.TOO_EARLY
    assert att.checkin_state(end, start, end, timedelta(0)) == att.OPEN
