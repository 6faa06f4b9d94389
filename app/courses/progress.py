"""Progress and completion rules: pure functions over a course and a learner's
state (done lessons, passed quizzes). Used by the course pages, the completion
service, certificates and cohort dashboards alike."""

from dataclasses import dataclass

from app.courses.loader import Course


@dataclass(frozen=True)
class Status:
    lessons_done: int
    lessons_total: int
    quizzes_passed: int
    quizzes_total: int
    missing_lessons: tuple[str, ...]
    missing_quizzes: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing_lessons and not self.missing_quizzes

    @property
    def percent(self) -> int:
        """Share of steps done: every lesson and every quiz to pass counts as one step."""
        total = self.lessons_total + self.quizzes_total
        done = self.lessons_done + self.quizzes_passed
        return round(100 * done / total) if total else 0


def status(course: Course, done_keys: set[str], passed_quizzes: set[str]) -> Status:
    missing_lessons = tuple(k for k in course.lesson_keys if k not in done_keys)
    missing_quizzes = tuple(q for q in course.required_quizzes if q not in passed_quizzes)
    return Status(
        lessons_done=len(course.lesson_keys) - len(missing_lessons),
        lessons_total=len(course.lesson_keys),
        quizzes_passed=len(course.required_quizzes) - len(missing_quizzes),
        quizzes_total=len(course.required_quizzes),
        missing_lessons=missing_lessons, missing_quizzes=missing_quizzes)


def module_state(module_lesson_keys: list[str], done_keys: set[str], quiz_slug: str | None,
                 passed_quizzes: set[str]) -> str:
    """"done", "in_progress" or "not_started" for one module."""
    steps = [k in done_keys for k in module_lesson_keys]
    if quiz_slug:
        steps.append(quiz_slug in passed_quizzes)
    if steps and all(steps):
        return "done"
    return "in_progress" if any(steps) else "not_started"


def resume_key(course: Course, done_keys: set[str], last_key: str | None) -> str:
    """Where to send a learner who comes back: the last lesson they opened if it
    is not done yet, else the first lesson not done, else the last one opened."""
    keys = course.lesson_keys
    if last_key in keys and last_key not in done_keys:
        return last_key
    if last_key in keys:
        after = keys[keys.index(last_key) + 1:] + keys[:keys.index(last_key)]
        following = next((k for k in after if k not in done_keys), None)
        if following:
            return following
    return next((k for k in keys if k not in done_keys), last_key if last_key in keys
                else keys[0])
