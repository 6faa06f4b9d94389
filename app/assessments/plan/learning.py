"""From gaps to learning: the course modules that address a round's gaps, how
many staff of each institution completed them (aggregates only), and workshop
cohorts created from the plan.

"Staff of an institution" are the round's member accounts, grouped by their
institution in the round: the platform knows nothing more reliable about
employers. Counts below 5 are never shown (generate.mask_count).

A cohort is created through the cohorts feature's own service
(app/cohorts/services.create_cohort) with the chosen trainer as the acting
trainer, so the trainer becomes its lead and the cohort follows the cohort
rules from then on. Inviting a trainer by e-mail stores the request
(PlanCohortRequest) and creates the cohort when the invitee accepts with a
trainer account.
"""

import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from app.assessments.access import RoundAccess, load_round
from app.assessments.constants import INSTITUTIONS
from app.assessments.loader import Edition
from app.assessments.models import Membership, Round
from app.assessments.plan import generate
from app.assessments.plan.models import PlanCohortRequest
from app.assessments.scoring import Summary
from app.auth import services as accounts
from app.core import audit, mail, permissions
from app.core.db import utcnow
from app.core.errors import Forbidden, NotFound, ValidationError
from app.core.i18n import country_name
from app.core.urls import external_url
from app.courses import progress as course_progress
from app.courses.catalogue import catalogue
from app.extensions import db

INVITATION_MAX_AGE = 30 * 24 * 3600
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- pure ------------------------------------------------------------------------------------

def gap_modules(edition: Edition, summary: Summary) -> dict[str, list[str]]:
    """{"course/module": [question numbers of the gaps it addresses]}, in gap order."""
    result: dict[str, list[str]] = {}
    for g in summary.gaps:
        q = edition.question(g.question)
        if q is None:
            continue
        for path in q.courses:
            result.setdefault(path, []).append(q.number)
    return result


def module_done(lesson_keys: Iterable[str], quiz_slug: str | None, done_keys: set[str],
                passed: set[str], course_completed: bool) -> bool:
    if course_completed:
        return True
    return course_progress.module_state(list(lesson_keys), done_keys, quiz_slug,
                                        passed) == "done"


def count_completions(staff: Mapping[str, Iterable[int]],
                      completed: Mapping[int, set[str]], paths: Iterable[str]
                      ) -> dict[str, dict[str, tuple[int, int]]]:
    """{path: {institution: (staff counted, staff who completed the module)}}.
    ``staff``: institution -> user ids; ``completed``: user id -> completed paths."""
    result = {}
    for path in paths:
        result[path] = {inst: (len(set(ids)), sum(1 for u in set(ids)
                                                  if path in completed.get(u, set())))
                        for inst, ids in staff.items()}
    return result


# --- reading ---------------------------------------------------------------------------------

def module_title(path: str, language: str) -> str | None:
    course_slug, _sep, module_slug = path.partition("/")
    course = catalogue().get(course_slug)
    if course is None:
        return None
    edition = course.edition(language)
    module = edition.module(module_slug)
    return f"{edition.title} › {module.title}" if module else None


def staff_of(round_id: int) -> dict[str, list[int]]:
    """The round's member accounts by institution (1 query)."""
    rows = db.session.execute(select(Membership.institution, Membership.user_id).where(
        Membership.round_id == round_id, Membership.user_id.is_not(None)))
    staff: dict[str, list[int]] = {}
    for inst, uid in rows:
        staff.setdefault(inst, []).append(uid)
    order = {inst: i for i, inst in enumerate(INSTITUTIONS)}
    return dict(sorted(staff.items(), key=lambda kv: order.get(kv[0], 99)))


def completed_modules(user_ids: list[int], paths: Iterable[str]) -> dict[int, set[str]]:
    """Which of ``paths`` each person completed (3 queries whatever the numbers)."""
    from app.courses.models import Enrolment, LessonProgress
    from app.courses.services import passed_quizzes

    wanted: dict[str, list[str]] = {}
    for path in paths:
        course_slug, _sep, module_slug = path.partition("/")
        wanted.setdefault(course_slug, []).append(module_slug)
    if not user_ids or not wanted:
        return {}
    enrolments = db.session.execute(
        select(Enrolment.id, Enrolment.user_id, Enrolment.course_slug, Enrolment.completed_at)
        .where(Enrolment.user_id.in_(user_ids), Enrolment.course_slug.in_(list(wanted)))).all()
    if not enrolments:
        return {}
    ids = [e.id for e in enrolments]
    done: dict[int, set[str]] = {i: set() for i in ids}
    for enrolment_id, key in db.session.execute(
            select(LessonProgress.enrolment_id, LessonProgress.lesson_key)
            .where(LessonProgress.enrolment_id.in_(ids))):
        done[enrolment_id].add(key)
    passed = passed_quizzes(ids)
    result: dict[int, set[str]] = {}
    for e in enrolments:
        course = catalogue().get(e.course_slug)
        if course is None:
            continue
        for module_slug in wanted[e.course_slug]:
            module = course.default.module(module_slug)
            if module is None:
                continue
            if module_done([lesson.key for lesson in module.lessons],
                           module.quiz.slug if module.quiz else None, done[e.id],
                           passed.get(e.id, set()), e.completed_at is not None):
                result.setdefault(e.user_id, set()).add(f"{e.course_slug}/{module_slug}")
    return result


def module_needs(round_: Round, edition: Edition, summary: Summary, language: str
                 ) -> list[generate.ModuleNeed]:
    """The modules addressing the gaps (unknown modules are skipped) with their
    completions by institution."""
    paths = {p: qs for p, qs in gap_modules(edition, summary).items()
             if module_title(p, language) is not None}
    if not paths:
        return []
    staff = staff_of(round_.id)
    completed = completed_modules([u for ids in staff.values() for u in ids], paths)
    counts = count_completions(staff, completed, paths)
    return [generate.ModuleNeed(p, module_title(p, language), tuple(qs), counts[p])
            for p, qs in paths.items()]


@dataclass
class Learning:
    access: RoundAccess
    edition: Edition
    modules: list           # generate.ModuleNeed
    courses: list           # (course slug, course title) recommended
    requests: list          # PlanCohortRequest of this plan


def learning_page(user, round_id: int, language: str) -> Learning:
    from app.assessments.plan.services import plan_of
    from app.assessments.services import framework_of, summary_of

    access = load_round(user, round_id)
    framework = framework_of(access.round)
    edition = framework.edition(language)
    summary = summary_of(access.round, framework)
    modules = module_needs(access.round, edition, summary, language)
    courses = {}
    for m in modules:
        slug = m.path.split("/")[0]
        course = catalogue().get(slug)
        courses.setdefault(slug, course.edition(language).title if course else slug)
    plan = plan_of(round_id)
    requests = list(db.session.scalars(
        select(PlanCohortRequest).where(PlanCohortRequest.plan_id == plan.id)
        .order_by(PlanCohortRequest.id))) if plan else []
    return Learning(access, edition, modules, list(courses.items()), requests)


# --- cohorts from the plan ---------------------------------------------------------------------

@dataclass
class CohortRequestValues:
    course_slug: str
    name: str
    starts_on: date | None
    ends_on: date | None
    mode: str = "in_person"
    timezone: str = "UTC"
    trainer_email: str = ""
    course_module: str | None = None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="plan-cohort-trainer")


def invitation_token(request: PlanCohortRequest) -> str:
    return _serializer().dumps({"r": request.id, "n": request.nonce})


def recommended_courses(round_: Round, language: str | None = None) -> dict[str, list[str]]:
    """{course slug: [module paths]} the plan recommends for the round's gaps."""
    from app.assessments.services import framework_of, summary_of

    framework = framework_of(round_)
    summary = summary_of(round_, framework)
    result: dict[str, list[str]] = {}
    for path in gap_modules(framework.edition(language), summary):
        slug = path.split("/")[0]
        if catalogue().get(slug) is not None:
            result.setdefault(slug, []).append(path)
    return result


def _cohort_values(values: CohortRequestValues):
    from app.cohorts.services import CohortValues

    return CohortValues(course_slug=values.course_slug, name=values.name,
                        starts_on=values.starts_on, ends_on=values.ends_on, mode=values.mode,
                        timezone=values.timezone or "UTC")


def _check_values(values: CohortRequestValues) -> None:
    """The cohort's own rules (app/cohorts/services.py), checked before an
    invitation goes out; the cohorts service checks them again on acceptance."""
    from app.cohorts.services import check_values

    checked = check_values(_cohort_values(values))
    values.name, values.timezone = checked.name, checked.timezone


def request_cohort(user, round_id: int, values: CohortRequestValues
                   ) -> tuple[PlanCohortRequest, object | None]:
    """Create a cohort for a recommended course with an existing trainer as its
    lead, or invite a trainer by e-mail (the cohort is created when they accept).
    Returns (request, cohort or None)."""
    from app.assessments.plan.services import plan_or_404
    from app.cohorts import services as cohorts

    access = load_round(user, round_id)
    access.require(access.can_request_cohort)
    plan = plan_or_404(round_id)
    recommended = recommended_courses(access.round)
    if values.course_slug not in recommended:
        raise ValidationError(_l("Choose one of the courses the plan recommends."),
                              field="course")
    if values.course_module and values.course_module not in recommended[values.course_slug]:
        values.course_module = None
    email = accounts.normalise_email(values.trainer_email)
    if not EMAIL.match(email or "") or len(email) > 254:
        raise ValidationError(_l("Enter the trainer's e-mail address, like name@example.org."),
                              field="trainer_email")
    _check_values(values)
    trainer = accounts.find_by_email(email)
    is_trainer = trainer is not None and trainer.deleted_at is None and permissions.has_role(
        trainer, "trainer", "admin")
    stored = {"name": values.name, "mode": values.mode, "timezone": values.timezone,
              "starts_on": values.starts_on.isoformat() if values.starts_on else None,
              "ends_on": values.ends_on.isoformat() if values.ends_on else None}
    request = PlanCohortRequest(plan_id=plan.id, course_slug=values.course_slug,
                                course_module=values.course_module, values=stored,
                                nonce=secrets.token_hex(16), requested_by_id=user.id)
    if is_trainer:
        cohort = cohorts.create_cohort(trainer, _cohort_values(values))
        request.status, request.cohort_id, request.decided_at = "created", cohort.id, utcnow()
        db.session.add(request)
        db.session.flush()
        _send(trainer.email, trainer.locale, "created", access.round, user, request,
              cohort=cohort)
        audit.record("plans.cohort_created", actor=user, subject=f"round:{round_id}",
                     cohort=cohort.id, course=values.course_slug, trainer=trainer.id)
        return request, cohort
    request.trainer_email = email
    db.session.add(request)
    db.session.flush()
    _send(email, trainer.locale if trainer else getattr(user, "locale", "en"), "invited",
          access.round, user, request, has_account=trainer is not None)
    audit.record("plans.trainer_invited", actor=user, subject=f"round:{round_id}",
                 request=request.id, course=values.course_slug)
    return request, None


def _send(to: str, locale: str | None, kind: str, round_: Round, inviter, request,
          cohort=None, has_account: bool = True) -> None:
    course = catalogue().get(request.course_slug)
    title = course.edition(locale).title if course else request.course_slug
    context = {"inviter": inviter, "course": title, "round": round_,
               "country": country_name(round_.country, locale), "values": request.values,
               "has_account": has_account}
    if kind == "created":
        mail.send(to, _l("A workshop was created for you from a national data plan"),
                  "assessments/plan/email/cohort_created", locale=locale,
                  link=external_url("cohorts.page", cohort_id=cohort.id), **context)
    else:
        mail.send(to, _l("You are invited to run a workshop for a national data plan"),
                  "assessments/plan/email/trainer_invitation", locale=locale,
                  link=external_url("assessments.plan_invitation",
                                    token=invitation_token(request)),
                  register_url=external_url("auth.register"), **context)


def invitation_from_token(token: str) -> PlanCohortRequest:
    try:
        data = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except SignatureExpired as exc:
        raise ValidationError(_l("This invitation has expired. Ask the focal point to send "
                                 "it again.")) from exc
    except BadSignature as exc:
        raise NotFound() from exc
    request = db.session.get(PlanCohortRequest, data.get("r")) if isinstance(data, dict) else None
    if request is None or request.nonce != data.get("n"):
        raise NotFound()
    return request


def accept_invitation(user, token: str):
    """The invited trainer accepts: the cohort is created with them as its lead."""
    from app.cohorts import services as cohorts

    request = invitation_from_token(token)
    if request.status != "invited":
        raise ValidationError(_l("This invitation has already been used."))
    if accounts.normalise_email(user.email) != request.trainer_email:
        raise Forbidden(_l("This invitation was sent to another e-mail address. Sign in with "
                           "that address to accept it."))
    if not permissions.has_role(user, "trainer", "admin"):
        raise Forbidden(_l("Your account does not have the trainer role yet. Ask an "
                           "administrator to give it to you, then open this link again."))
    v = request.values or {}
    cohort = cohorts.create_cohort(user, _cohort_values(CohortRequestValues(
        course_slug=request.course_slug, name=v.get("name", ""),
        starts_on=date.fromisoformat(v["starts_on"]) if v.get("starts_on") else None,
        ends_on=date.fromisoformat(v["ends_on"]) if v.get("ends_on") else None,
        mode=v.get("mode", "in_person"), timezone=v.get("timezone", "UTC"))))
    request.status, request.cohort_id, request.decided_at = "created", cohort.id, utcnow()
    request.trainer_email = None        # the cohort now records its trainer
    db.session.flush()
    audit.record("plans.cohort_created", actor=user, subject=f"round:{request.plan.round_id}",
                 cohort=cohort.id, course=request.course_slug, trainer=user.id)
    return cohort
