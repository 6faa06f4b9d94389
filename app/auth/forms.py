"""Account forms. Field rules here are the first line; services check again."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from app.core.forms import choices
from app.core.i18n import LANGUAGE_NAMES, country_choices


def no_control_characters(form, field):
    if field.data and any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in field.data):
        raise ValidationError(_l("Remove the invisible control characters from this field."))


def email_field(label=_l("E-mail address")):
    return EmailField(label, validators=[
        DataRequired(_l("Enter your e-mail address.")),
        Length(max=254, message=_l("Use at most %(max)d characters.")),
        Email(_l("Enter a valid e-mail address, like name@example.org."),
              check_deliverability=False),
    ], render_kw={"autocomplete": "email", "spellcheck": "false"})


def new_password_field(label=_l("Password")):
    return PasswordField(label, validators=[DataRequired(_l("Choose a password."))],
                         description=_l("At least 12 characters. A phrase of a few "
                                        "unrelated words is easy to remember and hard to guess."),
                         render_kw={"autocomplete": "new-password", "minlength": 12})


def confirm_field(label=_l("Repeat the password")):
    return PasswordField(label, validators=[
        DataRequired(_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords are not the same.")),
    ], render_kw={"autocomplete": "new-password"})


class ProfileFields(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        description=_l("Exactly as it must appear on your certificates."),
        validators=[DataRequired(_l("Enter your full name.")),
                    Length(max=200, message=_l("Use at most %(max)d characters.")),
                    no_control_characters],
        render_kw={"autocomplete": "name"})
    organisation = StringField(
        _l("Organisation"), description=_l("Optional. For example: National Statistics Office."),
        validators=[Optional(), Length(max=200, message=_l("Use at most %(max)d characters.")),
                    no_control_characters],
        render_kw={"autocomplete": "organization"})
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=True)
    locale = SelectField(_l("Preferred language"),
                         choices=choices(LANGUAGE_NAMES.items(),
                                         **{c: {"lang": c} for c in LANGUAGE_NAMES}),
                         validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices([("", _l("Choose a country")), *country_choices()])


class RegisterForm(ProfileFields):
    email = email_field()
    password = new_password_field()
    confirm = confirm_field()
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my data are processed as it describes."),
        validators=[DataRequired(_l("Please accept the privacy notice to create an account."))])


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"))


class EmailOnlyForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = confirm_field()


class ProfileForm(ProfileFields):
    pass


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    password = new_password_field(_l("New password"))
    confirm = confirm_field()


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"),
                             validators=[DataRequired(_l("Enter your password to confirm."))],
                             render_kw={"autocomplete": "current-password"})
    confirm = BooleanField(_l("I understand that this cannot be undone."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
