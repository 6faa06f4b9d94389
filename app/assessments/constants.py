"""Fixed lists of the self-assessment: institutions, roles in a round, round
statuses and answer choices, with their translated labels."""

from flask_babel import lazy_gettext as _l

INSTITUTIONS = ("nso", "interior", "labour", "foreign-affairs", "civil-registration",
                "refugee-agency", "data-protection", "planning", "other")

INSTITUTION_LABELS = {
    "nso": _l("National statistical office"),
    "interior": _l("Interior / immigration"),
    "labour": _l("Labour"),
    "foreign-affairs": _l("Foreign affairs / consular"),
    "civil-registration": _l("Civil registration"),
    "refugee-agency": _l("Refugee agency"),
    "data-protection": _l("Data protection authority"),
    "planning": _l("Planning"),
    "other": _l("Other institution"),
}

# Roles within one round (PIA pattern: validator, evaluator, author, guest).
FOCAL_POINT, FACILITATOR, CONTRIBUTOR, OBSERVER = ("focal_point", "facilitator", "contributor",
                                                   "observer")
ROUND_ROLES = (FOCAL_POINT, FACILITATOR, CONTRIBUTOR, OBSERVER)
ROUND_ROLE_LABELS = {
    FOCAL_POINT: _l("Focal point (validator)"),
    FACILITATOR: _l("Facilitator (evaluator)"),
    CONTRIBUTOR: _l("Contributor"),
    OBSERVER: _l("Observer (read-only)"),
}

DRAFT, OPEN, IN_REVIEW, VALIDATED = "draft", "open", "in_review", "validated"
STATUSES = (DRAFT, OPEN, IN_REVIEW, VALIDATED)
STATUS_LABELS = {
    DRAFT: _l("Draft"),
    OPEN: _l("Open for answers"),
    IN_REVIEW: _l("In review"),
    VALIDATED: _l("Validated"),
}

# An answer is a level 0–4, "don't know" or "not applicable".
LEVEL, DONT_KNOW, NOT_APPLICABLE = "level", "dont_know", "not_applicable"
RESPONSES = (LEVEL, DONT_KNOW, NOT_APPLICABLE)
LEVELS = (0, 1, 2, 3, 4)
MAX_LEVEL = 4

# The area of app/core/uploads.py where evidence files are stored.
UPLOAD_AREA = "assessments"


def institution_label(code: str | None) -> str:
    return str(INSTITUTION_LABELS.get(code or "", code or ""))


def response_choices(scale_labels: dict[int, str]) -> list[tuple[str, str]]:
    """The answer choices as (value, label): "0".."4", don't know, not applicable."""
    return [(str(level), f"{level} – {scale_labels.get(level, '')}".rstrip(" –"))
            for level in LEVELS] + [(DONT_KNOW, str(_l("Don't know"))),
                                    (NOT_APPLICABLE, str(_l("Not applicable")))]
