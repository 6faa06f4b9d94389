"""The optional "sex" column of the roster file (app/cohorts/roster_csv.py)."""

import pytest

from app.cohorts import roster_csv


@pytest.mark.parametrize(("value", "expected"), [
    ("F", "female"), ("Femme", "female"), ("female", "female"), ("Mujer", "female"),
    ("M", "male"), ("Homme", "male"), ("masculino", "male"),
    ("Other", "other"), ("autre", "other"),
    ("Not stated", "not_stated"), ("prefer not to say", "not_stated"),
    ("banana", None),
])
def test_sex_values(value, expected):
    assert roster_csv.sex_value(value) == expected


def test_sex_column_is_optional_and_checked(app):
    with app.test_request_context():
        data = (b"email,full name,sexe\n"
                b"a@example.org,Awa Ndiaye,F\n"
                b"b@example.org,Bob Dylan,\n"
                b"c@example.org,Chris Doe,banana\n")
        parsed = roster_csv.parse(data)
        a, b, c = parsed.rows
        assert (a.sex, a.status) == ("female", "new")
        assert (b.sex, b.status) == (None, "new")             # empty: not recorded
        assert c.status == "error" and "sex" in c.errors[0]
        assert parsed.notes == []                               # not an ignored column
        without = roster_csv.parse(b"email,full name\na@example.org,Awa\n")
        assert without.rows[0].sex is None and without.rows[0].status == "new"
