"""Roster files as trainers really send them (tests/fixtures/cohorts/)."""

from pathlib import Path

import pytest

from app.cohorts import roster_csv
from app.cohorts.roster_csv import ERROR, NEW, UNCHANGED, parse

FILES = Path(__file__).resolve().parent.parent / "fixtures" / "cohorts"


def read(name: str, **kwargs):
    return parse((FILES / name).read_bytes(), **kwargs)


def by_email(parsed):
    return {r.email: r for r in parsed.rows}


def test_a_plain_file_of_thirty_learners():
    parsed = read("roster-30.csv")
    assert not parsed.problems and not parsed.notes
    assert parsed.count(NEW) == 30 and parsed.total_rows == 30
    first = parsed.rows[0]
    assert (first.line, first.email, first.full_name) == (2, "participant01@example.org",
                                                          "Awa Ndiaye")
    assert first.country == "GH" and first.organisation == "Ministry of Interior"


def test_utf8_with_byte_order_mark_and_english_synonyms():
    parsed = read("utf8-bom.csv")
    assert not parsed.problems and not parsed.notes
    rows = by_email(parsed)
    assert rows["awa@example.org"].country == "SN"        # "Senegal" by name
    assert rows["joao@example.org"].full_name == "João Pereira"
    assert rows["joao@example.org"].organisation == "Instituto Nacional de Estatística"


def test_semicolons_french_headers_and_french_country_names():
    parsed = read("semicolons.csv")
    assert not parsed.problems and parsed.count(NEW) == 3
    rows = by_email(parsed)
    assert rows["moussa@example.org"].full_name == "Moussa Traoré"
    assert rows["fatou@example.org"].organisation == "ANSD; Dakar"
    assert rows["fatou@example.org"].country == "SN"      # "Sénégal"
    assert rows["koffi@example.org"].country == "CI"      # "Côte d'Ivoire"
    assert rows["moussa@example.org"].country == "ML"


def test_windows_1252_is_read_with_a_warning():
    parsed = read("cp1252.csv")
    assert not parsed.problems and parsed.count(NEW) == 2
    assert "Windows-1252" in parsed.notes[0]
    rows = by_email(parsed)
    assert rows["helene@example.org"].full_name == "Hélène Lefèvre"
    assert rows["helene@example.org"].organisation == "Ministère de l’Intérieur"
    assert rows["francois@example.org"].full_name == "François Garçon"


def test_utf16_from_excel_unicode_text_is_read():
    text = "email\tfull name\r\nu16@example.org\tÜmit Öz\r\n"
    parsed = parse(text.encode("utf-16"))
    assert not parsed.problems and parsed.rows[0].full_name == "Ümit Öz"


def test_extra_columns_are_ignored_with_a_note():
    parsed = read("extra-columns.csv")
    assert not parsed.problems and parsed.count(NEW) == 2
    assert parsed.notes == ["Columns ignored: Phone, Notes."]
    assert by_email(parsed)["extra1@example.org"].country == "JO"


def test_missing_required_columns_stop_everything():
    parsed = read("missing-columns.csv")
    assert parsed.rows == []
    assert parsed.problems and "full name" in parsed.problems[0]
    assert "e-mail" not in parsed.problems[0].split(":")[1].split(".")[0]


def test_a_file_without_a_header_line_says_so():
    parsed = parse(b"a@example.org,Someone,NSO,SN\nb@example.org,Other,NSO,SN\n")
    assert parsed.problems and "e-mail address, full name" in parsed.problems[0]
    assert "add a line of column names" in parsed.problems[0]


def test_first_and_last_name_columns_make_the_full_name():
    parsed = parse("Courriel;Prénom;Nom;Pays\nx@example.org;Aminata;Touré;SN\n".encode())
    assert parsed.rows[0].full_name == "Aminata Touré"
    parsed = parse("Courriel;Nom;Pays\ny@example.org;Aminata Touré;SN\n".encode())
    assert parsed.rows[0].full_name == "Aminata Touré"


def test_formulas_are_refused_per_row():
    parsed = read("formulas.csv")
    assert not parsed.problems
    rows = {r.line: r for r in parsed.rows}
    assert rows[2].status == ERROR and "formulas are not accepted" in rows[2].errors[0]
    assert rows[2].full_name == ""          # never kept, never shown as a name
    assert rows[3].status == ERROR and "“+”" in rows[3].errors[0]
    assert rows[4].status == ERROR and "organisation starts with “-”" in rows[4].errors[0]
    assert rows[5].status == ERROR and "“@”" in rows[5].errors[0]
    assert rows[6].status == ERROR and "not a valid e-mail address" in rows[6].errors[0]
    assert rows[7].status == NEW
    assert parsed.count(NEW) == 1


def test_row_level_errors_are_all_reported():
    parsed = read("bad-rows.csv")
    assert not parsed.problems
    rows = {r.line: r for r in parsed.rows}
    assert rows[2].status == NEW
    assert "“not-an-email” is not a valid e-mail address" in rows[3].errors
    assert rows[4].errors == ["same e-mail address as line 2"]        # case-insensitive
    assert rows[5].errors[0].startswith("unknown country “Atlantis”")
    assert rows[6].errors == ["full name is missing"]
    assert "5 cells but the first line names 4 columns" in rows[7].errors[0]
    assert rows[9].status == NEW and rows[9].organisation == "" and rows[9].country is None
    assert 8 not in rows                                                # blank line skipped
    assert parsed.count(NEW) == 2 and parsed.count(ERROR) == 5


def test_people_already_in_the_cohort_are_unchanged():
    data = (FILES / "roster-30.csv").read_bytes()
    existing = {"participant01@example.org": "active", "participant02@example.org": "invited",
                "participant03@example.org": "removed"}
    parsed = parse(data, existing=existing)
    rows = by_email(parsed)
    assert parsed.count(UNCHANGED) == 3 and parsed.count(NEW) == 27
    assert rows["participant01@example.org"].note == "already a member"
    assert rows["participant02@example.org"].note == "already invited"
    assert "not invited again" in rows["participant03@example.org"].note


def test_ten_thousand_rows_are_refused_with_the_count():
    lines = ["email,full name"] + [f"p{i}@example.org,Person {i}" for i in range(10_000)]
    parsed = parse("\n".join(lines).encode())
    assert parsed.rows == [] and parsed.total_rows == 10_000
    assert parsed.problems == ["The file has 10,000 rows; at most 2,000 can be imported at once. "
                               "Split it into smaller files."]


def test_the_row_limit_itself_is_accepted():
    lines = ["email,full name"] + [f"p{i}@example.org,Person {i}" for i in range(2000)]
    assert parse("\n".join(lines).encode()).count(NEW) == 2000
    lines.append("one.more@example.org,One More")
    assert parse("\n".join(lines).encode()).problems


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"\n\n  \n", "empty"),
    (b"email,full name\n", "no rows"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV text file"),
    (b'email,full name\n"unterminated,quote\n', None),
])
def test_unusable_files(data, words):
    parsed = parse(data)
    if words:
        assert parsed.problems and words in parsed.problems[0]
    else:          # a lone quote swallows the rest of the file: a row error, not a crash
        assert parsed.problems or parsed.count(ERROR) == len(parsed.rows)


def test_country_lookup():
    assert roster_csv.country_code("sn") == "SN"
    assert roster_csv.country_code("SEN") == "SN"
    assert roster_csv.country_code("Morocco") == "MA"
    assert roster_csv.country_code("Maroc") == "MA"
    assert roster_csv.country_code("Allemagne") == "DE"
    assert roster_csv.country_code("côte d’ivoire") == "CI"
    assert roster_csv.country_code("Atlantis") is None


def test_delimiter_detection():
    assert roster_csv.sniff_delimiter("a;b;c\n1;2;3") == ";"
    assert roster_csv.sniff_delimiter("a,b\n") == ","
    assert roster_csv.sniff_delimiter("a\tb\n") == "\t"
    assert roster_csv.sniff_delimiter("email\n") == ","
