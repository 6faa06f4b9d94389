"""Workshop forms. Field rules here are the first line; the services check again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
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

    def __init__(self, courses, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices(courses)


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
