import re

import pytest

from app.certificates import ids


def test_new_ids_are_random_80_bit_with_a_check_character():
    seen = {ids.new_id() for _ in range(2000)}
    assert len(seen) == 2000
    for public_id in list(seen)[:50]:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{17}", public_id)
        assert ids.normalise(public_id) == public_id
    assert ids.BODY_LENGTH * 5 >= 80


def test_grouped_form_and_tolerant_reading():
    public_id = ids.new_id()
    shown = ids.grouped(public_id)
    assert re.fullmatch(r"(\w{4}-){4}\w", shown)
    assert ids.normalise(shown.lower()) == public_id
    assert ids.normalise(" " + shown.replace("-", " ") + " ") == public_id


def test_confusable_letters_are_read_as_digits():
    body = "0123456789ABCDEF"
    public_id = body + ids.check_char(body)
    assert ids.normalise("O123456789ABCDEF" + public_id[-1]) == public_id
    assert ids.normalise("0I23456789ABCDEF" + public_id[-1]) == public_id
    assert ids.normalise("0l23456789abcdef" + public_id[-1].lower()) == public_id


@pytest.mark.parametrize("text", ["", "ABC", "U" * 17, "0123456789ABCDEF!", "0" * 18])
def test_malformed_identifiers_are_refused(text):
    with pytest.raises(ValueError):
        ids.normalise(text)


def test_every_single_typo_and_almost_every_neighbour_swap_is_caught():
    """Luhn mod 32 catches every single wrong character, and every swap of two
    neighbours except "0" with "Z" (values 0 and 31), as Luhn mod 10 misses 09/90."""
    for public_id in ("7K2M9QX4B8D1F6HZ", "ZZZZ0000ABCDEFGH", "0123456789ABCDEF"):
        public_id += ids.check_char(public_id)
        for pos in range(len(public_id)):
            for char in ids.ALPHABET:
                typo = public_id[:pos] + char + public_id[pos + 1:]
                if typo != public_id:
                    with pytest.raises(ValueError):
                        ids.normalise(typo)
        for pos in range(len(public_id) - 1):
            pair = public_id[pos:pos + 2]
            swapped = public_id[:pos] + pair[::-1] + public_id[pos + 2:]
            if swapped != public_id and set(pair) != {"0", "Z"}:
                with pytest.raises(ValueError):
                    ids.normalise(swapped)
