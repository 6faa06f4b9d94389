"""Form helpers shared by features."""

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


class EmptyForm(FlaskForm):
    """Only the CSRF token: for POST buttons such as "Sign out" or "Download"."""


def apply_errors(form, error) -> None:
    """Show a service's ValidationError next to its field (or at the top)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def choices(pairs, **render_kw_by_value) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label, render_kw_by_value.get(value, {}))
            for value, label in pairs]
