"""Every model of every feature, imported in one place for Alembic and `flask shell`."""

from app.assessments.models import (  # noqa: F401
    Answer,
    Consensus,
    EvidenceFile,
    FrameworkVersion,
    Membership,
    Round,
    WorkbookImport,
)
from app.auth.models import User  # noqa: F401
from app.certificates.models import Certificate, NameCorrection  # noqa: F401
from app.cohorts.models import (  # noqa: F401
    Announcement,
    Attendance,
    Cohort,
    CohortMember,
    CohortSession,
    CohortTrainer,
    Material,
    RosterImport,
)
from app.core.models import AuditEvent, Job  # noqa: F401
from app.courses.models import CourseVersion, Enrolment, LessonProgress  # noqa: F401
from app.quizzes.models import AttemptAnswer, QuizAttempt  # noqa: F401
