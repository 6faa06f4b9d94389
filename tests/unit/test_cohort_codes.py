"""Join codes: generation and what people type."""

import pytest

from app.cohorts import codes


def test_new_codes_use_the_unambiguous_alphabet():
    seen = {codes.new_code() for _ in range(500)}
    assert len(seen) == 500
    for code in seen:
        assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
    assert not set("01OIL") & set(codes.ALPHABET)


@pytest.mark.parametrize("typed", ["ABCD-EFGH", "abcdefgh", " abcd efgh ", "ABCD_EFGH",
                                   "abcd.efgh", "AbCd-EfGh\n"])
def test_normalise_accepts_case_spaces_and_dashes(typed):
    assert codes.normalise(typed) == "ABCDEFGH"


@pytest.mark.parametrize("typed", ["", None, "ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCDEFGI",
                                   "ABCD/EFGH", "ÀBCDEFGH"])
def test_normalise_refuses_what_cannot_be_a_code(typed):
    assert codes.normalise(typed) is None


def test_grouped_for_display():
    assert codes.grouped("ABCDEFGH") == "ABCD-EFGH"
    assert codes.normalise(codes.grouped("ABCDEFGH")) == "ABCDEFGH"
