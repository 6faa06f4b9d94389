"""What every workshop page shares: template helpers and small view utilities."""


from app.cohorts import (
    bp,
    codes,
    feedback,
    formatting,
    forms,
    schedule,
    times,
)
from app.core import uploads
from app.core.i18n import country_name, current_language
from app.courses.catalogue import catalogue


@bp.context_processor
def _helpers():
    return {"mode_labels": forms.MODE_LABELS, "mark_labels": forms.MARK_LABELS,
            "when": formatting.session_when, "local_date": formatting.local_date,
            "local_time": formatting.local_time,
            "local_datetime": formatting.local_datetime, "day": formatting.day,
            "grouped_code": codes.grouped, "country_name": country_name,
            "place_of": schedule.place_of, "link_of": schedule.link_of,
            "megabytes": uploads.megabytes, "utc_offset": times.utc_offset_label,
            "file_size": formatting.file_size, "num": formatting.number,
            "pct": formatting.percent, "plain_text": formatting.plain_text,
            "state_labels": forms.STATE_LABELS, "risk_labels": forms.RISK_LABELS,
            "flag_labels": forms.FLAG_LABELS, "sex_labels": forms.SEX_LABELS,
            "feedback_labels": feedback.LABELS}


def course_choices():
    lang = current_language()
    return [(c.slug, c.edition(lang).title) for c in catalogue()]


def status(form) -> int:
    return 400 if form.errors or form.form_errors else 200
