"""Uploads: extension AND content must match; size limits; safe names."""

import io
import zipfile

import pytest

from app.core import uploads
from app.core.errors import NotFound

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def ooxml() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def check(name, data, allowed=uploads.DOCUMENTS, max_bytes=1000):
    return uploads.check(name, data, allowed=allowed, max_bytes=max_bytes)


def test_a_pdf_and_a_docx_are_accepted():
    pdf = check("Décret n° 12-2020.pdf", PDF)
    assert pdf.extension == ".pdf" and pdf.mimetype == "application/pdf"
    assert pdf.original_name == "Décret n_ 12-2020.pdf"
    docx = check("agreement.DOCX", ooxml(), max_bytes=10_000)
    assert docx.extension == ".docx" and "wordprocessingml" in docx.mimetype
    assert check("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50).extension == ".doc"


@pytest.mark.parametrize("name, data, message", [
    ("law.pdf", b"MZ\x90\x00 not a pdf", "not a real PDF"),
    ("law.exe", PDF, "not accepted"),
    ("law", PDF, "not accepted"),
    ("law.pdf", b"", "empty"),
    ("law.pdf", PDF + b"x" * 2000, "larger than"),
    ("agreement.docx", b"PK\x03\x04 just a zip header", "not a real DOCX"),
    ("photo.png", b"\x89PNG\r\n\x1a\n....", "not accepted"),          # images not allowed here
])
def test_bad_files_are_refused(name, data, message):
    with pytest.raises(uploads.UploadError) as err:
        check(name, data)
    assert message in str(err.value.message)


def test_a_plain_zip_renamed_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("evil.sh", "rm -rf /")
    with pytest.raises(uploads.UploadError):
        check("agreement.docx", out.getvalue(), max_bytes=10_000)


def test_an_office_file_that_unpacks_to_too_much_is_refused(monkeypatch):
    """A small XLSX whose XML expands enormously (a "zip bomb") would exhaust the
    memory when the workbook is read: the declared unpacked size is checked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", "<sst>" + "0" * 200_000 + "</sst>")
    data = out.getvalue()
    assert len(data) < 2_000
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 100_000)
    with pytest.raises(uploads.UploadError) as err:
        check("answers.xlsx", data, allowed=uploads.SPREADSHEETS, max_bytes=10_000)
    assert "once unpacked" in str(err.value.message)
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 1_000_000)
    assert check("answers.xlsx", data, allowed=uploads.SPREADSHEETS,
                 max_bytes=10_000).extension == ".xlsx"


def test_images_when_the_caller_allows_them():
    assert check("map.png", b"\x89PNG\r\n\x1a\n....", allowed=uploads.IMAGES).mimetype == \
        "image/png"
    with pytest.raises(uploads.UploadError):
        check("map.png", b"GIF89a....", allowed=uploads.IMAGES)


@pytest.mark.parametrize("raw, expected", [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\me\\Desktop\\report.pdf", "report.pdf"),
    ("bad\x00name\x1b.pdf", "badname.pdf"),
    ("  .hidden.pdf", "hidden.pdf"),
    ("", "file"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ('quote"and<tag>.pdf', "quote_and_tag.pdf"),
])
def test_sanitise_filename(raw, expected):
    assert uploads.sanitise_filename(raw) == expected


def test_stored_names_are_checked():
    with pytest.raises(NotFound):
        uploads.path_of("assessments", "../../config.py")
    with pytest.raises(NotFound):
        uploads.path_of("assessments", "abc.pdf")
    with pytest.raises(ValueError):
        uploads.path_of("../x", "0" * 32 + ".pdf")
