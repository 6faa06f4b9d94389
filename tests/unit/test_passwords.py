import pytest

from app.auth.passwords import password_problem


@pytest.mark.parametrize("password", [
    "short-pass",                       # too short
    "password1234",                     # common
    "aaaaaaaaaaaaaaaa",                 # repeats
    "qwertyuiop123",                    # keyboard walk
    "123456789012",                     # sequence
])
def test_weak_passwords_are_refused(password):
    assert password_problem(password) is not None


def test_password_equal_to_own_name_is_refused():
    assert password_problem("Amina Diallo Amina", user_inputs=("Amina Diallo",)) is not None


def test_long_unusual_passphrase_is_accepted():
    assert password_problem("violet tractor under sixteen lanterns") is None


def test_overlong_password_is_refused():
    assert password_problem("x" * 129) is not None


def test_password_made_of_own_name_and_digits_is_refused():
    assert password_problem("AminaDiallo2026", user_inputs=("Amina Diallo",)) is not None
    assert password_problem("diallo.amina@2026", user_inputs=("amina.diallo@example.org",))
