"""The printable sign-in sheet of a session (A4 PDF): one row per active member
with a signature box, for rooms without connectivity. The trainer enters the
marks afterwards on the session page ("from the paper sheet").

Like the certificate, the template receives plain values only.
"""

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _

from app.cohorts import formatting, schedule
from app.cohorts.access import load_cohort
from app.cohorts.services import course_of, members, trainer_names
from app.core.i18n import current_language, text_direction
from app.core.pdf import render_pdf


@dataclass(frozen=True)
class SheetContext:
    language: str
    direction: str
    cohort_name: str
    course_title: str
    trainers: str
    topic: str
    when: str
    place: str
    rows: tuple[tuple[str, str], ...]          # (name, organisation)
    qr_data_uri: str
    checkin_url: str


def build(user, cohort_id: int, session_id: int, *, with_qr: bool = False) -> SheetContext:
    access = load_cohort(user, cohort_id, run=True)
    cohort = access.cohort
    session = schedule.session_of(access, session_id)
    language = current_language()
    when = _("%(when)s (%(zone)s)", zone=cohort.timezone, when=formatting.session_when(
        session.starts_at, session.ends_at, cohort.timezone, "full"))
    place = " · ".join(p for p in (schedule.place_of(cohort, session),
                                   schedule.link_of(cohort, session)) if p)
    url = schedule.checkin_url(session) if with_qr else ""
    return SheetContext(
        language=language, direction=text_direction(language), cohort_name=cohort.name,
        course_title=course_of(cohort).edition(language).title,
        trainers=trainer_names(cohort), topic=session.topic, when=when, place=place,
        rows=tuple((m.display_name, m.display_organisation or "")
                   for m in members(cohort.id)),
        qr_data_uri=schedule.qr_svg_data_uri(url) if url else "", checkin_url=url)


def render(context: SheetContext) -> bytes:
    return render_pdf(render_template("cohorts/sheet.html", c=context))
