"""Uploaded files: checked, stored outside the web root, served only by views
that have checked permission first.

A file is accepted when its extension is on the caller's allow-list AND its
first bytes match that type (a renamed executable is refused), and when it is
not larger than the caller's limit. It is stored as
``<UPLOAD_DIR>/<area>/<random name><ext>``: the original name is never used
on disk (the caller keeps a sanitised copy in the database, for downloads).

    checked = uploads.read_upload(request.files["file"], allowed=uploads.DOCUMENTS,
                                  max_bytes=current_app.config["ASSESSMENT_UPLOAD_MAX_BYTES"])
    stored_name = uploads.store("assessments", checked)
    ...
    return uploads.send("assessments", stored_name, download_name=row.original_name,
                        mimetype=row.content_type)

``check`` and ``sanitise_filename`` are pure; the rest needs an application.
"""

import contextlib
import io
import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.errors import NotFound, ValidationError

_ZIP = b"PK\x03\x04"
#: An Office (OOXML) upload is a zip that XLSX workbooks are unpacked from
#: (app/assessments/workbook.py): refuse archives that would expand to more
#: than this, whatever their own size (a "zip bomb" exhausts the memory).
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # legacy Office (.doc, .xls, .ppt)


@dataclass(frozen=True)
class FileType:
    mimetype: str
    magic: tuple[bytes, ...]
    ooxml: bool = False        # a zip that must hold [Content_Types].xml


TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", (b"%PDF-",)),
    ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      (_ZIP,), ooxml=True),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      (_ZIP,), ooxml=True),
    ".pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml."
                      "presentation", (_ZIP,), ooxml=True),
    ".odt": FileType("application/vnd.oasis.opendocument.text", (_ZIP,)),
    ".ods": FileType("application/vnd.oasis.opendocument.spreadsheet", (_ZIP,)),
    ".doc": FileType("application/msword", (_OLE,)),
    ".xls": FileType("application/vnd.ms-excel", (_OLE,)),
    ".ppt": FileType("application/vnd.ms-powerpoint", (_OLE,)),
    ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
}

#: PDF and Office documents (OOXML, OpenDocument and legacy binary formats).
DOCUMENTS = frozenset({".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".doc", ".xls",
                       ".ppt"})
IMAGES = frozenset({".png", ".jpg", ".jpeg"})
SPREADSHEETS = frozenset({".xlsx"})

_AREA = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_STORED = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")
_UNSAFE = re.compile(r"[^\w .()+,-]+")


class UploadError(ValidationError):
    default_message = _l("This file cannot be accepted.")


@dataclass(frozen=True)
class CheckedFile:
    original_name: str          # sanitised, safe to show and to use as a download name
    extension: str              # ".pdf"
    mimetype: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def megabytes(max_bytes: int) -> str:
    return f"{max_bytes / (1024 * 1024):g}"


def sanitise_filename(name: str | None, fallback: str = "file") -> str:
    """A display name without directories, control characters or odd punctuation,
    at most 120 characters, keeping its extension."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" ._")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    stem = stem[:120 - len(ext) - 1] if ext else stem[:120]
    stem = stem.strip(" ._") or fallback
    return f"{stem}.{ext}" if ext else stem


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def check(name: str | None, data: bytes, *, allowed: Iterable[str], max_bytes: int) -> CheckedFile:
    """Check one file; raise UploadError with a message naming the file."""
    shown = sanitise_filename(name)
    allowed = frozenset(allowed)
    ext = extension_of(shown)
    if ext not in allowed or ext not in TYPES:
        raise UploadError(_l("“%(name)s”: files of this type are not accepted. Accepted: "
                             "%(types)s.", name=shown,
                             types=", ".join(sorted(e.lstrip(".").upper() for e in allowed))))
    if not data:
        raise UploadError(_l("“%(name)s” is empty.", name=shown))
    if len(data) > max_bytes:
        raise UploadError(_l("“%(name)s” is larger than %(size)s MB.", name=shown,
                             size=megabytes(max_bytes)))
    kind = TYPES[ext]
    if not any(data.startswith(magic) for magic in kind.magic) or (
            kind.ooxml and not _is_ooxml(data)):
        raise UploadError(_l("“%(name)s” is not a real %(type)s file (its content does not "
                             "match its extension).", name=shown, type=ext.lstrip(".").upper()))
    if kind.ooxml and not _unpacks_safely(data):
        raise UploadError(_l("“%(name)s” is larger than %(size)s MB once unpacked.", name=shown,
                             size=megabytes(MAX_UNPACKED_BYTES)))
    return CheckedFile(shown, ext, kind.mimetype, data)


def _is_ooxml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _unpacks_safely(data: bytes) -> bool:
    """The declared sizes bound what zipfile will ever unpack (it stops there)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    return (len(entries) <= MAX_ZIP_ENTRIES
            and sum(e.file_size for e in entries) <= MAX_UNPACKED_BYTES)


def read_upload(storage, *, allowed: Iterable[str], max_bytes: int) -> CheckedFile:
    """Read a Werkzeug FileStorage (never more than the limit plus one byte) and check it."""
    data = storage.stream.read(max_bytes + 1)
    return check(storage.filename, data, allowed=allowed, max_bytes=max_bytes)


def has_file(storage) -> bool:
    """True when a file input was actually filled in."""
    return storage is not None and bool(getattr(storage, "filename", ""))


# --- storage ---------------------------------------------------------------------------

def upload_root() -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.config["INSTANCE_PATH"]) / "uploads"


def _folder(area: str) -> Path:
    if not _AREA.match(area):
        raise ValueError(f"bad upload area {area!r}")
    return upload_root() / area


def store(area: str, checked: CheckedFile, session: Session | None = None) -> str:
    """Write the file under a random name; return that name (keep it in the database).
    With ``session``, the file is deleted again if that transaction rolls back."""
    folder = _folder(area)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + checked.extension
    tmp = folder / f".{stored_name}.part"
    tmp.write_bytes(checked.data)
    os.replace(tmp, folder / stored_name)
    if session is not None:
        session.info.setdefault(_NEW, []).append((area, stored_name))
    return stored_name


def remove_after_commit(session: Session, area: str, stored_name: str) -> None:
    """Delete the stored file once the transaction that deletes its row commits."""
    session.info.setdefault(_GONE, []).append((area, stored_name))


_NEW, _GONE = "uploads_stored", "uploads_to_remove"


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    session.info.pop(_NEW, None)
    for area, name in session.info.pop(_GONE, []):
        remove(area, name)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(_GONE, None)
    for area, name in session.info.pop(_NEW, []):
        remove(area, name)


def path_of(area: str, stored_name: str) -> Path:
    if not _STORED.match(stored_name or ""):
        raise NotFound()
    return _folder(area) / stored_name


def remove(area: str, stored_name: str) -> None:
    with contextlib.suppress(NotFound):
        path_of(area, stored_name).unlink(missing_ok=True)


def send(area: str, stored_name: str, *, download_name: str, mimetype: str):
    """Send a stored file as a download. Call only after checking permission."""
    path = path_of(area, stored_name)
    if not path.is_file():
        raise NotFound()
    response = send_file(path, mimetype=mimetype, as_attachment=True,
                         download_name=sanitise_filename(download_name), max_age=0,
                         conditional=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
