"""Self-assessment forms. The answer and consensus forms are built per domain
(one fieldset per question); their values are checked by the services, with
the same rules as the offline workbook (rules.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.assessments.constants import INSTITUTION_LABELS, ROUND_ROLE_LABELS
from app.assessments.rules import MAX_TEXT, YEAR_MAX, YEAR_MIN
from app.auth.forms import email_field
from app.core.forms import choices
from app.core.i18n import country_choices


def institution_choices():
    return choices(INSTITUTION_LABELS.items())


class RoundForm(FlaskForm):
    country = SelectField(_l("Country"), validate_choice=False)
    label = StringField(_l("Round"), description=_l("Usually the year, for example 2026."),
                        validators=[DataRequired(_l("Name the round, for example 2026.")),
                                    Length(max=20, message=_l("Use at most %(max)d "
                                                              "characters."))])
    framework = SelectField(_l("Framework"), validate_choice=False)
    institution = SelectField(_l("Your institution"), validate_choice=False,
                              description=_l("You will be the round's focal point."))

    def __init__(self, frameworks, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices([("", _l("Choose a country")), *country_choices()])
        self.framework.choices = choices(frameworks)
        self.institution.choices = institution_choices()


class InviteForm(FlaskForm):
    email = email_field(_l("E-mail address of the person to invite"))
    role = SelectField(_l("Role in the round"), validate_choice=False,
                       choices=choices(ROUND_ROLE_LABELS.items()), default="contributor")
    institution = SelectField(_l("Institution"), validate_choice=False,
                              choices=institution_choices())


class MemberForm(FlaskForm):
    role = SelectField(_l("Role"), validate_choice=False,
                       choices=choices(ROUND_ROLE_LABELS.items()))
    institution = SelectField(_l("Institution"), validate_choice=False,
                              choices=institution_choices())


class WorkbookUploadForm(FlaskForm):
    workbook = FileField(_l("Completed workbook (.xlsx)"),
                         validators=[FileRequired(_l("Choose the workbook file to upload."))],
                         render_kw={"accept": ".xlsx"})


def key(question_id: str) -> str:
    """A form field prefix for a question id (ids are slugs: no underscores)."""
    return "q_" + question_id.replace("-", "_")


def answer_form(questions, response_choices, *, max_mb: str, data=None):
    """One fieldset of fields per question: <key>__choice, __links, __note, __comment,
    __target_level, __target_year, __files, and the hidden __version and __base."""

    class AnswerForm(FlaskForm):
        pass

    levels = [(v, label) for v, label in response_choices if v.isdigit()]
    for q in questions:
        k = key(q.id)
        fields = {
            "choice": SelectField(_l("Answer"), validate_choice=False,
                                  choices=choices([("", _l("Not answered yet")),
                                                   *response_choices])),
            "links": TextAreaField(_l("Evidence links"), render_kw={"rows": 2},
                                   description=_l("One per line; web links starting with "
                                                  "http:// or https://.")),
            "note": TextAreaField(_l("Evidence note"), render_kw={"rows": 2},
                                  description=_l("What the evidence shows, at most %(max)d "
                                                 "characters.", max=MAX_TEXT)),
            "comment": TextAreaField(_l("Comment"), render_kw={"rows": 2}),
            "target_level": SelectField(_l("Target level"), validate_choice=False,
                                        choices=choices([("", _l("No target")), *levels])),
            "target_year": StringField(_l("Target year"),
                                       render_kw={"inputmode": "numeric", "maxlength": 4,
                                                  "class": "short"},
                                       description=_l("Between %(min)d and %(max)d.",
                                                      min=YEAR_MIN, max=YEAR_MAX)),
            "files": MultipleFileField(_l("Attach documents"),
                                       description=_l("PDF or Office files (a law, an "
                                                      "agreement…), up to %(mb)s MB each.",
                                                      mb=max_mb)),
            "version": HiddenField(),
            "base": HiddenField(),
        }
        for name, f in fields.items():
            setattr(AnswerForm, f"{k}__{name}", f)
    return AnswerForm(data=data)


def consensus_form(questions, response_choices, *, data=None):
    class ConsensusForm(FlaskForm):
        pass

    for q in questions:
        k = key(q.id)
        setattr(ConsensusForm, f"{k}__choice",
                SelectField(_l("Agreed level"), validate_choice=False,
                            choices=choices([("", _l("No consensus yet")), *response_choices])))
        setattr(ConsensusForm, f"{k}__justification",
                TextAreaField(_l("Justification"), render_kw={"rows": 2},
                              description=_l("Why this level: the evidence, what was agreed. "
                                             "Required when answers differ by 2 levels or "
                                             "more.")))
        setattr(ConsensusForm, f"{k}__version", HiddenField())
        setattr(ConsensusForm, f"{k}__base", HiddenField())
    return ConsensusForm(data=data)
