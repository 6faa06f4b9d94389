from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.forms import no_control_characters


class VerifyForm(FlaskForm):
    identifier = StringField(_l("Certificate ID"), validators=[Optional(), Length(max=80)],
                             description=_l("As printed under the QR code, e.g. "
                                            "K7QM-2XAD-9FHT-RW3B-P."),
                             render_kw={"autocomplete": "off", "spellcheck": "false"})
    file = FileField(_l("Or a certificate file"),
                     description=_l("The PDF certificate, or its credential file (.jwt)."))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give the reason for revoking this certificate.")),
        Length(max=500, message=_l("Use at most %(max)d characters."))],
        description=_l("Shown publicly on the verification page."))


class NameCorrectionForm(FlaskForm):
    name = StringField(_l("Name as it should appear"), validators=[
        DataRequired(_l("Enter your full name.")),
        Length(max=200, message=_l("Use at most %(max)d characters.")), no_control_characters])
    reason = TextAreaField(_l("What is wrong (optional)"), validators=[
        Optional(), Length(max=500, message=_l("Use at most %(max)d characters."))])
