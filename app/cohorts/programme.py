"""The programme view: the workshops of a period seen together, for the people
who report on them (administrators: every workshop; trainers: their own).

For the workshops that overlap the date range (and run the chosen course):
learners trained (active members; a person counts once per group), learners
certified (a current, unrevoked certificate for the workshop's course), mean
normalised gain (learners with a pre-test and a post-test in a workshop that
asked for one), and mean satisfaction (the survey; app/cohorts/aggregates.py).
Broken down by course, country and organisation; groups of fewer than 5
learners are merged (aggregates.group_rows) and means rest on at least 5 values.

Loaded in a fixed number of queries whatever the number of workshops and
learners; the selection is a sub-query, never a long list of ids.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from app.certificates.models import Certificate
from app.cohorts import aggregates, feedback, gain
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.core import permissions
from app.core.i18n import country_name
from app.courses.catalogue import catalogue
from app.courses.models import Enrolment
from app.extensions import db
from app.quizzes.models import QuizAttempt


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    course: str | None = None
    errors: list[str] = field(default_factory=list)

    def as_args(self) -> dict:
        return {k: v for k, v in (("start", self.start and self.start.isoformat()),
                                  ("end", self.end and self.end.isoformat()),
                                  ("course", self.course)) if v}


def _date(value: str | None, errors: list[str], label) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(str(_l("%(field)s: enter a date as YYYY-MM-DD.", field=label)))
        return None


def parse_filters(args) -> Filters:
    errors: list[str] = []
    start = _date(args.get("start"), errors, _l("From"))
    end = _date(args.get("end"), errors, _l("To"))
    course = (args.get("course") or "").strip() or None
    if course is not None and catalogue().get(course) is None:
        errors.append(str(_l("Choose a course from the list.")))
        course = None
    if start and end and end < start:
        errors.append(str(_l("The end of the period cannot be before its start.")))
        end = None
    return Filters(start, end, course, errors)


def _selection(user, filters: Filters):
    """A sub-query of the ids of the cohorts in view."""
    stmt = select(Cohort.id)
    if not permissions.has_role(user, "admin"):
        stmt = stmt.where(Cohort.id.in_(select(CohortTrainer.cohort_id).where(
            CohortTrainer.user_id == user.id)))
    if filters.start:
        stmt = stmt.where(Cohort.ends_on >= filters.start)
    if filters.end:
        stmt = stmt.where(Cohort.starts_on <= filters.end)
    if filters.course:
        stmt = stmt.where(Cohort.course_slug == filters.course)
    return stmt


@dataclass
class CohortLine:
    cohort: Cohort
    figures: aggregates.GroupRow


@dataclass
class Programme:
    filters: Filters
    cohorts: list[CohortLine]
    total: aggregates.GroupRow
    by_course: list[aggregates.GroupRow]
    by_country: list[aggregates.GroupRow]
    by_organisation: list[aggregates.GroupRow]
    minimum: int = aggregates.MIN_GROUP

    def label(self, section: str, key: str) -> str:
        if key == aggregates.OTHER:
            return _("Other (groups of fewer than %(n)d)", n=self.minimum)
        if key == aggregates.UNKNOWN:
            return _("Not known")
        if section == "course":
            course = catalogue().get(key)
            return course.default.title if course else key
        if section == "country":
            return country_name(key)
        return key


def participants(user, filters: Filters) -> tuple[list[Cohort], list[tuple[int,
                                                                             aggregates.Participant]]]:
    """The cohorts in view and (cohort id, Participant) for each active member."""
    selection = _selection(user, filters)
    cohorts = list(db.session.scalars(select(Cohort).where(Cohort.id.in_(selection))
                                      .order_by(Cohort.starts_on.desc(), Cohort.id.desc())))
    if not cohorts:
        return [], []
    members = db.session.scalars(select(CohortMember).where(
        CohortMember.cohort_id.in_(selection), CohortMember.status == "active")).unique().all()
    in_view = and_(CohortMember.cohort_id.in_(selection), CohortMember.status == "active")
    joined = (select(Enrolment.id, Enrolment.user_id, Enrolment.course_slug)
              .join(CohortMember, CohortMember.user_id == Enrolment.user_id)
              .join(Cohort, and_(Cohort.id == CohortMember.cohort_id,
                                 Cohort.course_slug == Enrolment.course_slug))
              .where(in_view).distinct())
    enrolments = {(user_id, slug): eid for eid, user_id, slug in db.session.execute(joined)}
    certified = set(db.session.scalars(
        select(Certificate.current_for)
        .join(Enrolment, Enrolment.id == Certificate.current_for)
        .join(CohortMember, CohortMember.user_id == Enrolment.user_id)
        .join(Cohort, and_(Cohort.id == CohortMember.cohort_id,
                           Cohort.course_slug == Enrolment.course_slug))
        .where(in_view, Certificate.revoked_at.is_(None)).distinct()))
    scores: dict[tuple[int, str], dict[str, float]] = {}
    for _id, enrolment_id, slug, pretest, score in db.session.execute(
            select(QuizAttempt.id, QuizAttempt.enrolment_id, QuizAttempt.quiz_slug,
                   QuizAttempt.is_pretest, QuizAttempt.score)
            .join(Enrolment, Enrolment.id == QuizAttempt.enrolment_id)
            .join(CohortMember, CohortMember.user_id == Enrolment.user_id)
            .join(Cohort, and_(Cohort.id == CohortMember.cohort_id,
                               Cohort.course_slug == Enrolment.course_slug,
                               Cohort.pretest_quiz == QuizAttempt.quiz_slug))
            .where(in_view, or_(QuizAttempt.attempt_no == 1, QuizAttempt.is_pretest.is_(True)))
            .order_by(QuizAttempt.id)):
        found = scores.setdefault((enrolment_id, slug), {})
        found.setdefault("pre" if pretest else "post", score)
    answers = {row["member_id"]: row for rows in feedback.rows_of([c.id for c in cohorts])
               .values() for row in rows}
    by_id = {c.id: c for c in cohorts}
    found = []
    for m in members:
        cohort = by_id.get(m.cohort_id)
        if cohort is None or m.user_id is None:
            continue
        eid = enrolments.get((m.user_id, cohort.course_slug))
        g = None
        if eid is not None and cohort.pretest_quiz:
            pair = scores.get((eid, cohort.pretest_quiz), {})
            g = gain.normalised_gain(pair.get("pre"), pair.get("post"))
        answer = answers.get(m.id)
        found.append((cohort.id, aggregates.Participant(
            person=m.user_id, course=cohort.course_slug,
            country=m.country or getattr(m.user, "country", None),
            organisation=(m.display_organisation or "").strip() or None,
            certified=eid in certified if eid is not None else False, g=g,
            satisfaction=aggregates.satisfaction(answer) if answer else None)))
    return cohorts, found


def overview(user, filters: Filters) -> Programme:
    permissions.require(user, "programme.view")
    cohorts, found = participants(user, filters)
    people = [p for _cid, p in found]
    lines = [CohortLine(c, aggregates.totals([p for cid, p in found if cid == c.id]))
             for c in cohorts]
    return Programme(
        filters=filters, cohorts=lines, total=aggregates.totals(people),
        by_course=aggregates.group_rows(people, lambda p: p.course),
        by_country=aggregates.group_rows(people, lambda p: p.country),
        by_organisation=aggregates.group_rows(
            people, lambda p: p.organisation and " ".join(p.organisation.split())))


def csv_rows(view: Programme) -> list[list]:
    header = [_("Breakdown"), _("Group"), _("Learners trained"), _("Learners certified"),
              _("Mean normalised gain g"), _("Learners with g"), _("Mean satisfaction (1–5)"),
              _("Survey answers")]
    rows = [header]

    def line(section_label, section, r: aggregates.GroupRow, label=None):
        learners = (_("fewer than %(n)d", n=view.minimum) if r.withheld else r.learners)
        rows.append([section_label, label or view.label(section, r.key), learners,
                     r.certified, round(r.g.mean, 3) if r.g else None, r.g.n if r.g else None,
                     round(r.satisfaction.mean, 2) if r.satisfaction else None,
                     r.satisfaction.n if r.satisfaction else None])

    line(_("All"), "total", view.total, _("All workshops in view"))
    for section, label, found in (("course", _("Course"), view.by_course),
                                  ("country", _("Country"), view.by_country),
                                  ("organisation", _("Organisation"), view.by_organisation)):
        for r in found:
            line(label, section, r)
    return rows
