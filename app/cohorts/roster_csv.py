"""Reading a roster file (CSV): pure functions, no database, no request.

What trainers actually send: Excel exports in UTF-8 with a byte-order mark,
semicolon-separated files from French or Spanish Excel, Windows-1252 files,
columns named in English or French, extra columns, blank lines, formulas.

``parse`` never raises for bad content: it returns ``problems`` (the file as a
whole cannot be used: nothing may be imported) and, per row, ``errors``
(that row is skipped) so the trainer sees everything in one preview.

    parsed = parse(data, existing={"a@b.org": "active"}, max_rows=2000)
    parsed.problems      # ["The file has no column for: e-mail address."]
    parsed.notes         # ["Columns ignored: Phone."]
    parsed.rows[0].status  # "new" | "unchanged" | "error"
"""

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

NEW, UNCHANGED, ERROR = "new", "unchanged", "error"
MAX_NAME = 200
MAX_EMAIL = 254
#: A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Cells that mean "nothing" in spreadsheets.
EMPTY_MARKERS = {"-", "–", "—", "n/a", "N/A"}

EMAIL, FULL_NAME, FIRST_NAME, LAST_NAME, ORGANISATION, COUNTRY, SEX = (
    "email", "full_name", "first_name", "last_name", "organisation", "country", "sex")

# Header names, compared without case, accents, spaces or punctuation.
_SYNONYMS = {
    EMAIL: {"email", "mail", "courriel", "emailaddress", "adresseemail", "adressemail",
            "adresseelectronique", "adressecourriel", "mel", "correo", "correoelectronico"},
    FULL_NAME: {"fullname", "name", "nomcomplet", "nometprenom", "prenometnom", "nombrecompleto",
                "nombre", "nombreyapellidos", "participant", "participantname", "learner",
                "apprenant"},
    FIRST_NAME: {"firstname", "givenname", "prenom", "prenoms", "nombres"},
    LAST_NAME: {"lastname", "surname", "familyname", "apellido", "apellidos", "nomdefamille"},
    ORGANISATION: {"organisation", "organization", "org", "institution", "agency", "organisme",
                   "employer", "ministry", "ministere", "organizacion", "institucion"},
    COUNTRY: {"country", "pays", "pais", "countrycode", "codepays", "iso", "iso2"},
    SEX: {"sex", "sexe", "sexo", "gender", "genre", "genero"},
}

# Optional "sex" column (from the trainers' own registration list, for the counts
# of the workshop report; the platform never asks learners). Values, compared
# without case or accents; an empty cell means "not recorded".
_SEX_VALUES = {
    "female": {"f", "female", "woman", "women", "femme", "feminin", "mujer", "femenino", "w"},
    "male": {"m", "male", "man", "men", "homme", "masculin", "hombre", "masculino", "h"},
    "other": {"other", "autre", "otro", "x", "nonbinary", "nonbinaire", "nobinario"},
    "not_stated": {"notstated", "nonprecise", "noindicado", "prefernottosay", "nondeclare",
                   "unknown", "inconnu", "desconocido", "ns", "nd"},
}


@dataclass
class Row:
    line: int
    email: str = ""
    full_name: str = ""
    organisation: str = ""
    country: str | None = None
    sex: str | None = None
    status: str = NEW
    errors: list[str] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ParsedRoster:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    total_rows: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


# --- text ------------------------------------------------------------------------------

def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _fold(text))


def decode(data: bytes) -> tuple[str | None, list[str]]:
    """(text, notes); text is None when the bytes are not a text file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, []
    if b"\x00" in data[:4096]:
        return None, []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text, name = data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, name = data.decode("latin-1"), "Latin-1"
    return text, [str(_l("The file is not in UTF-8: it was read as %(encoding)s. Check that "
                         "accented letters look right below; if not, save the file as "
                         "“CSV UTF-8” and upload it again.", encoding=name))]


def sniff_delimiter(text: str) -> str:
    """The separator used on the first non-blank line: ",", ";" or a tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


# --- columns ---------------------------------------------------------------------------

def _classify(header: str) -> str | None:
    key = _header_key(header)
    for column, names in _SYNONYMS.items():
        if key in names:
            return column
    return "nom" if key == "nom" else None


def map_columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """({column: index}, names of the ignored columns). French "Nom" is the
    family name when a "Prénom" column exists, else the full name."""
    kinds = [_classify(h) for h in headers]
    has_first = FIRST_NAME in kinds
    mapping: dict[str, int] = {}
    ignored = []
    for index, (header, kind) in enumerate(zip(headers, kinds, strict=True)):
        if kind == "nom":
            kind = LAST_NAME if has_first else FULL_NAME
        if kind is None or kind in mapping:
            if header.strip():
                ignored.append(header.strip())
            continue
        mapping[kind] = index
    return mapping, ignored


# --- countries ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    import pycountry

    from app.core.i18n import country_choices

    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        index[_fold(code)] = code
        index[_fold(country.alpha_3)] = code
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                index[_header_key(value)] = code
    for lang in ("en", "fr"):
        for code, name in country_choices(lang):
            index[_header_key(name)] = code
    return index


def country_code(value: str) -> str | None:
    """ISO alpha-2 code for a code (SN, SEN) or an English or French name."""
    value = value.strip()
    if not value:
        return None
    if len(value) in (2, 3) and value.isalpha():
        found = _country_index().get(_fold(value))
        if found:
            return found
    return _country_index().get(_header_key(value))


# --- cells -------------------------------------------------------------------------------

def _clean(value: str | None) -> str:
    value = unicodedata.normalize("NFC", (value or "")).strip()
    value = re.sub(r"\s+", " ", value)
    return "" if value in EMPTY_MARKERS else value


def sex_value(value: str) -> str | None:
    """"female", "male", "other", "not_stated", or None when not understood."""
    key = _header_key(value)
    return next((sex for sex, names in _SEX_VALUES.items() if key in names), None)


def _formula(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


def _check_text(row: Row, label, value: str, *, required: bool) -> str:
    if not value:
        if required:
            row.errors.append(str(_l("%(field)s is missing", field=label)))
        return ""
    if _formula(value):
        row.errors.append(str(_l("%(field)s starts with “%(char)s”: formulas are not accepted",
                                 field=label, char=value[0])))
        return ""
    if any(unicodedata.category(c) == "Cc" for c in value):
        row.errors.append(str(_l("%(field)s contains invisible control characters",
                                 field=label)))
        return ""
    if len(value) > MAX_NAME:
        row.errors.append(str(_l("%(field)s is longer than %(max)d characters", field=label,
                                 max=MAX_NAME)))
        return ""
    return value


def _check_email(row: Row, value: str) -> str:
    if not value:
        row.errors.append(str(_l("e-mail address is missing")))
        return ""
    address = value.lower()
    if _formula(address) or len(address) > MAX_EMAIL:
        row.errors.append(str(_l("“%(value)s” is not a valid e-mail address",
                                 value=value[:60])))
        return ""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        row.errors.append(str(_l("“%(value)s” is not a valid e-mail address",
                                 value=value[:60])))
        return ""
    return address


# --- the file ----------------------------------------------------------------------------

def parse(data: bytes, *, existing: Mapping[str, str] | None = None,
          max_rows: int = 2000) -> ParsedRoster:
    """Check a roster file. ``existing`` maps the e-mail addresses already in the
    cohort to their membership status (invited, active, removed)."""
    existing = existing or {}
    result = ParsedRoster()
    text, notes = decode(data)
    if text is None:
        result.problems.append(str(_l("This is not a CSV text file. Save the spreadsheet as "
                                      "“CSV UTF-8 (comma delimited)” and upload that file.")))
        return result
    result.notes += notes
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        records = [(reader.line_num, cells) for cells in reader]
    except csv.Error as err:
        result.problems.append(str(_l("The file could not be read as CSV (line %(line)d: "
                                      "%(error)s).", line=reader.line_num, error=str(err))))
        return result
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        result.problems.append(str(_l("The file is empty.")))
        return result
    header_line, headers = records[0]
    mapping, ignored = map_columns(headers)
    has_name = FULL_NAME in mapping or (FIRST_NAME in mapping and LAST_NAME in mapping)
    missing = []
    if EMAIL not in mapping:
        missing.append(str(_l("e-mail address")))
    if not has_name:
        missing.append(str(_l("full name")))
    if missing:
        message = str(_l("The file has no column for: %(columns)s. Its first line must name "
                         "the columns, for example: email, full name, organisation, country.",
                         columns=", ".join(missing)))
        if any("@" in cell for cell in headers):
            message += " " + str(_l("(The first line holds an e-mail address: add a line of "
                                    "column names above it.)"))
        result.problems.append(message)
        return result
    if ignored:
        result.notes.append(str(_l("Columns ignored: %(names)s.", names=", ".join(ignored))))
    data_rows = records[1:]
    result.total_rows = len(data_rows)
    if len(data_rows) > max_rows:
        result.problems.append(str(_l(
            "The file has %(count)s rows; at most %(max)s can be imported at once. Split it "
            "into smaller files.", count=f"{len(data_rows):,}", max=f"{max_rows:,}")))
        return result
    seen: dict[str, int] = {}
    width = len(headers)
    for line, cells in data_rows:
        result.rows.append(_row(line, cells, mapping, width, seen, existing))
    if not data_rows:
        result.problems.append(str(_l("The file has column names but no rows.")))
    return result


def _cell(cells: list[str], mapping: dict[str, int], column: str) -> str:
    index = mapping.get(column)
    return _clean(cells[index]) if index is not None and index < len(cells) else ""


def _row(line: int, cells: list[str], mapping: dict[str, int], width: int,
         seen: dict[str, int], existing: Mapping[str, str]) -> Row:
    row = Row(line=line)
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        row.errors.append(str(_l("this row has %(cells)d cells but the first line names "
                                 "%(columns)d columns (put text containing the separator in "
                                 "quotes)", cells=len(cells), columns=width)))
    row.email = _check_email(row, _cell(cells, mapping, EMAIL))
    if FULL_NAME in mapping:
        name = _cell(cells, mapping, FULL_NAME)
    else:
        name = " ".join(p for p in (_cell(cells, mapping, FIRST_NAME),
                                    _cell(cells, mapping, LAST_NAME)) if p)
    row.full_name = _check_text(row, _l("full name"), name, required=True)
    row.organisation = _check_text(row, _l("organisation"),
                                   _cell(cells, mapping, ORGANISATION), required=False)
    country = _cell(cells, mapping, COUNTRY)
    if country:
        row.country = country_code(country) if not _formula(country) else None
        if row.country is None:
            row.errors.append(str(_l("unknown country “%(value)s”: use a two-letter code "
                                     "(SN) or the country's name in English or French",
                                     value=country[:60])))
    sex = _cell(cells, mapping, SEX)
    if sex:
        row.sex = sex_value(sex)
        if row.sex is None:
            row.errors.append(str(_l("unknown value “%(value)s” in the sex column: use "
                                     "female, male, other or not stated (or leave it empty)",
                                     value=sex[:30])))
    if row.email:
        if row.email in seen:
            row.errors.append(str(_l("same e-mail address as line %(line)d",
                                     line=seen[row.email])))
        else:
            seen[row.email] = line
    if row.errors:
        row.status = ERROR
    elif row.email in existing:
        row.status = UNCHANGED
        row.note = {
            "active": str(_l("already a member")),
            "invited": str(_l("already invited")),
        }.get(existing[row.email], str(_l("removed from this workshop earlier: not invited "
                                          "again")))
    return row
