"""Workshop forms. Field rules here are the first line; the services check again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.auth.forms import (
    ProfileFields,
    confirm_field,
    new_password_field,
    no_control_characters,
)
from app.core.forms import choices

MODE_LABELS = {"in_person": _l("In person"), "online": _l("Online"),
               "blended": _l("Blended (in person and online)")}
MARK_LABELS = {"present": _l("Present"), "absent": _l("Absent"), "excused": _l("Excused")}
_MAX = _l("Use at most %(max)d characters.")
STATE_LABELS = {"done": _l("Done"), "in_progress": _l("In progress"),
                "not_started": _l("Not started")}
RISK_LABELS = {"inactive": _l("No activity for more than %(days)d days"),
               "failed_twice": _l("Failed a quiz twice")}
FLAG_LABELS = {"nobody_correct": _l("Nobody correct"),
               "strong_miss": _l("Strong learners miss it"),
               "everybody_correct": _l("Everybody correct")}
SEX_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Other"),
              "not_stated": _l("Not stated"), None: _l("Not recorded")}
G_BAND_LABELS = {"loss": _l("Loss (g < 0)"), "low": _l("Low (0 to 0.3)"),
                 "medium": _l("Medium (0.3 to 0.7)"), "high": _l("High (0.7 and more)")}


class CohortForm(FlaskForm):
    name = StringField(_l("Name of the workshop"),
                       description=_l("For example: Migration statistics, Dakar, March 2026."),
                       validators=[DataRequired(_l("Name the workshop.")),
                                   Length(max=200, message=_MAX), no_control_characters])
    course = SelectField(_l("Course"), validate_choice=False)
    starts_on = DateField(_l("First day"), validators=[
        InputRequired(_l("Enter the first day as YYYY-MM-DD."))])
    ends_on = DateField(_l("Last day"), validators=[
        InputRequired(_l("Enter the last day as YYYY-MM-DD."))])
    mode = SelectField(_l("How it is run"), choices=choices(MODE_LABELS.items()),
                       validate_choice=False, default="in_person")
    venue = StringField(_l("Venue"), description=_l("Room and address, for in-person sessions."),
                        validators=[Optional(), Length(max=300, message=_MAX),
                                    no_control_characters])
    meeting_url = URLField(_l("Meeting link"),
                           description=_l("The online meeting address, for online sessions."),
                           validators=[Optional(), Length(max=500, message=_MAX)])
    timezone = StringField(_l("Time zone"), default="UTC",
                           description=_l("Where the sessions take place, for example "
                                          "Africa/Dakar or America/Bogota. Times are entered "
                                          "and shown in this time zone."),
                           validators=[DataRequired(_l("Enter the time zone."))],
                           render_kw={"list": "timezones", "autocomplete": "off",
                                      "spellcheck": "false"})
    capacity = IntegerField(_l("Places"), default=30,
                            description=_l("Joining is refused once this many learners "
                                           "are in."),
                            validators=[InputRequired(_l("Enter the number of places.")),
                                        NumberRange(1, 1000, _l("Between 1 and 1000."))])
    min_attendance = IntegerField(_l("Minimum attendance for the certificate (%)"), default=75,
                                  description=_l("The certificate needs the course completed "
                                                 "and at least this attendance rate."),
                                  validators=[InputRequired(_l("Enter a percentage.")),
                                              NumberRange(0, 100, _l("Between 0 and 100."))])
    co_trainers = TextAreaField(_l("Co-trainers"),
                                description=_l("E-mail addresses of other trainers who run "
                                               "this workshop with you, one per line. They "
                                               "need a trainer account."),
                                validators=[Optional(), Length(max=2000, message=_MAX)],
                                render_kw={"rows": 3})
    pretest_quiz = SelectField(
        _l("Pre-test"), validate_choice=False, default="",
        description=_l("Learners take it before the first module; the dashboard compares it "
                       "with their first attempt at the same quiz after the course (the "
                       "knowledge gain). It never counts towards attempts or completion. The "
                       "final exam is recommended."))

    def __init__(self, courses, *args, pretests=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices(courses)
        self.pretest_quiz.choices = choices([("", _l("No pre-test")),
                                             ("final", _l("The course's final exam")),
                                             *(pretests or [])])


LIKERT = choices([("5", _l("5 – very much")), ("4", "4"), ("3", "3"), ("2", "2"),
                  ("1", _l("1 – not at all"))])
PACE = choices([("1", _l("1 – far too slow")), ("2", _l("2 – a little slow")),
                ("3", _l("3 – about right")), ("4", _l("4 – a little fast")),
                ("5", _l("5 – far too fast"))])


class FeedbackForm(FlaskForm):
    """The end-of-workshop survey; every question may be skipped."""

    relevance = RadioField(_l("How relevant was the workshop to your job?"), choices=LIKERT,
                           validators=[Optional()])
    content = RadioField(_l("How good was the content (lessons, exercises, materials)?"),
                         choices=LIKERT, validators=[Optional()])
    trainer = RadioField(_l("How good was the training by the trainers?"), choices=LIKERT,
                         validators=[Optional()])
    pace = RadioField(_l("How was the pace?"), choices=PACE, validators=[Optional()])
    apply = RadioField(_l("How likely are you to apply what you learnt in your work?"),
                       choices=LIKERT, validators=[Optional()])
    comment = TextAreaField(_l("Comments (optional)"),
                            description=_l("What worked, what to improve. The trainers see "
                                           "comments without your name, together with "
                                           "everyone else's, once at least five people have "
                                           "answered. Do not write names or other personal "
                                           "details."),
                            validators=[Optional(), Length(max=1000, message=_MAX)],
                            render_kw={"rows": 4, "maxlength": 1000})


class SessionForm(FlaskForm):
    topic = StringField(_l("Topic"), validators=[DataRequired(_l("Give the session a topic.")),
                                                 Length(max=200, message=_MAX),
                                                 no_control_characters])
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date as YYYY-MM-DD."))])
    start = TimeField(_l("Starts at"), validators=[
        InputRequired(_l("Enter the start time as HH:MM."))])
    end = TimeField(_l("Ends at"), validators=[InputRequired(_l("Enter the end time as HH:MM."))])
    place = StringField(_l("Place"), description=_l("Leave empty to use the workshop's venue."),
                        validators=[Optional(), Length(max=300, message=_MAX),
                                    no_control_characters])
    meeting_url = URLField(_l("Meeting link"),
                           description=_l("Leave empty to use the workshop's link."),
                           validators=[Optional(), Length(max=500, message=_MAX)])


class JoinForm(FlaskForm):
    code = StringField(_l("Workshop code"),
                       description=_l("8 letters and digits, given by your trainer."),
                       validators=[DataRequired(_l("Enter the code.")),
                                   Length(max=20, message=_MAX)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false"})


class RosterUploadForm(FlaskForm):
    file = FileField(_l("Roster file (CSV)"),
                     description=_l("One learner per line. Columns: email, full name, "
                                    "organisation, country (the first line names them)."),
                     validators=[FileRequired(_l("Choose the CSV file to upload."))],
                     render_kw={"accept": ".csv,text/csv"})


class AnnouncementForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give it a title.")),
                                                 Length(max=200, message=_MAX),
                                                 no_control_characters])
    body = TextAreaField(_l("Message"), validators=[DataRequired(_l("Write the message.")),
                                                    Length(max=5000, message=_MAX)],
                         render_kw={"rows": 6})


class MaterialForm(FlaskForm):
    title = StringField(_l("Title"), description=_l("Optional; the file name is used "
                                                    "otherwise."),
                        validators=[Optional(), Length(max=200, message=_MAX),
                                    no_control_characters])
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file to upload."))])


class RevokeForm(FlaskForm):
    reason = StringField(_l("Reason"), description=_l("Shown publicly on the verification "
                                                      "page."),
                         validators=[DataRequired(_l("Give the reason for revoking this "
                                                     "certificate.")),
                                     Length(max=500, message=_MAX)])


class InviteRegisterForm(ProfileFields):
    """Creating an account from an invitation: the address is the invited one."""

    password = new_password_field()
    confirm = confirm_field()
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my data are processed as it "
           "describes."),
        validators=[DataRequired(_l("Please accept the privacy notice to create an "
                                    "account."))])
