"""Plan forms. Fields parse and give the first hints; the services check every
value again (plan/services.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.assessments.constants import INSTITUTION_LABELS
from app.assessments.plan import defaults
from app.core.forms import choices

_NONE = _l("Not set")


def _institutions(empty=_NONE):
    return choices([("", empty), *INSTITUTION_LABELS.items()])


def _levels():
    return choices([("", _NONE), *[(str(i), str(i)) for i in range(5)]])


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanSettingsForm(FlaskForm):
    version = HiddenField()
    doc_version = StringField(_l("Plan version"), description=_l("For example 0.3 or 1.0."),
                              render_kw={"maxlength": 20, "class": "short"})
    approval_status = SelectField(_l("Approval status"), validate_choice=False,
                                  choices=choices(defaults.APPROVAL_LABELS.items()))
    lead_agency = StringField(_l("Lead agency"), render_kw={"maxlength": 200},
                              description=_l("The institution that leads the plan, for example "
                                             "the national statistical office."))
    language = SelectField(_l("Language of the document"), validate_choice=False,
                           choices=choices(defaults.LANGUAGE_CHOICES),
                           description=_l("Fixed texts and headings follow it; what the team "
                                          "wrote and the drafted actions stay as written."))
    starts_on = DateField(_l("Start of the plan period"), validators=[Optional()],
                          description=_l("Phases and the timeline count from this date."))
    next_review_on = DateField(_l("Next review"), validators=[Optional()])
    currency = StringField(_l("Default currency"), render_kw={"maxlength": 3, "class": "short",
                                                             "list": "currencies"},
                           description=_l("A three-letter code, like USD or EUR."))
    summary_note = TextAreaField(_l("Executive summary: the working group's message"),
                                 render_kw={"rows": 4})
    context = TextAreaField(_l("Context: migration profile snapshot"), render_kw={"rows": 6},
                            description=_l("Stocks and shares (UN DESA, with the edition), "
                                           "flows, refugees, IDPs, remittances. Separate "
                                           "paragraphs with an empty line."))
    policy_priorities = TextAreaField(
        _l("Context: policy priorities and links to national plans"), render_kw={"rows": 4},
        description=_l("National development plan, NSDS, migration policy, GCM plan."))
    objectives = TextAreaField(_l("Strategic objectives"), render_kw={"rows": 5},
                               description=_l("Three to five, one per line."))
    protection_principles = TextAreaField(_l("Data protection principles adopted"),
                                          render_kw={"rows": 4})
    technical_assistance = TextAreaField(_l("Technical assistance requests"),
                                         render_kw={"rows": 3})
    budget_notes = TextAreaField(_l("Budget notes"), render_kw={"rows": 3})
    governance = TextAreaField(_l("Governance and monitoring"), render_kw={"rows": 4})


class ActionForm(FlaskForm):
    version = HiddenField()
    domain = SelectField(_l("Domain"), validate_choice=False)
    gap = TextAreaField(_l("Gap addressed"), render_kw={"rows": 2})
    action = TextAreaField(_l("Action"), render_kw={"rows": 4})
    output = TextAreaField(_l("Output / deliverable"), render_kw={"rows": 2})
    lead_institution = SelectField(_l("Lead institution"), validate_choice=False,
                                   choices=_institutions())
    partners = StringField(_l("Partner(s)"), render_kw={"maxlength": 500})
    starts_on = DateField(_l("Start"), validators=[Optional()])
    ends_on = DateField(_l("End"), validators=[Optional()])
    cost = StringField(_l("Estimated cost"), render_kw={"inputmode": "decimal", "class": "short"},
                       description=_l("A number, like 25000 or 25000.50."))
    currency = StringField(_l("Currency"), render_kw={"maxlength": 3, "class": "short",
                                                     "list": "currencies"})
    funding = SelectField(_l("Funding source"), validate_choice=False,
                          choices=choices([("", _NONE), *defaults.FUNDING_LABELS.items()]))
    indicator = TextAreaField(_l("Progress indicator"), render_kw={"rows": 2})
    milestone = TextAreaField(_l("Milestone"), render_kw={"rows": 2})
    baseline_level = SelectField(_l("Baseline level"), validate_choice=False,
                                 choices=_levels())
    target_level = SelectField(_l("Target level"), validate_choice=False, choices=_levels())
    importance = SelectField(_l("Importance"), validate_choice=False, default="2",
                             choices=choices([(str(k), v) for k, v in
                                              defaults.IMPORTANCE_LABELS.items()]),
                             description=_l("Set in the workshop: priority = (target − "
                                            "baseline) × importance."))
    needs_dpia = BooleanField(_l("A data protection impact assessment (DPIA) is needed"))
    needs_dsa = BooleanField(_l("A data sharing agreement (DSA) is needed"))
    needs_sdc = BooleanField(_l("A statistical disclosure control (SDC) rule is needed"))
    protection_note = TextAreaField(_l("Data protection note"), render_kw={"rows": 2})
    risks = TextAreaField(_l("Risks / assumptions"), render_kw={"rows": 2})
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=choices(defaults.STATUS_LABELS.items()))
    course_module = SelectField(_l("Linked training module"), validate_choice=False)

    def __init__(self, domains, modules, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domain.choices = choices(domains)
        self.course_module.choices = choices([("", _NONE), *modules])


class NeedForm(FlaskForm):
    version = HiddenField()
    policy_question = TextAreaField(_l("Policy question"), render_kw={"rows": 2})
    indicator = TextAreaField(_l("Indicator"), render_kw={"rows": 2})
    definition = TextAreaField(_l("Definition"), render_kw={"rows": 2})
    disaggregation = MultiCheckbox(_l("Required disaggregation"), validate_choice=False,
                                   choices=choices(defaults.DIMENSION_LABELS.items()))
    available = MultiCheckbox(_l("Available today"), validate_choice=False,
                              choices=choices(defaults.DIMENSION_LABELS.items()))
    source = TextAreaField(_l("Current source(s)"), render_kw={"rows": 2})
    frequency = StringField(_l("Frequency"), render_kw={"maxlength": 200})
    responsible = SelectField(_l("Responsible institution"), validate_choice=False,
                              choices=_institutions())
    gap_type = SelectField(_l("Gap type"), validate_choice=False,
                           choices=choices([("", _l("No gap")),
                                            *defaults.GAP_TYPE_LABELS.items()]))
    priority = SelectField(_l("Priority"), validate_choice=False, default="2",
                           choices=choices([(str(k), v) for k, v in
                                            defaults.PRIORITY_LABELS.items()]))
    baseline = StringField(_l("Baseline"), render_kw={"maxlength": 200})
    target = StringField(_l("Target"), render_kw={"maxlength": 200})


class FlowForm(FlaskForm):
    version = HiddenField()
    from_institution = SelectField(_l("From"), validate_choice=False, choices=_institutions())
    to_institution = SelectField(_l("To"), validate_choice=False, choices=_institutions())
    data = TextAreaField(_l("Data (variables)"), render_kw={"rows": 2})
    legal_basis = TextAreaField(_l("Legal basis"), render_kw={"rows": 2})
    dsa_status = SelectField(_l("Data sharing agreement (DSA)"), validate_choice=False,
                             choices=choices(defaults.DSA_LABELS.items()))
    dpia_status = SelectField(_l("Data protection impact assessment (DPIA)"),
                              validate_choice=False, choices=choices(defaults.DPIA_LABELS.items()))
    security = StringField(_l("Security level"), render_kw={"maxlength": 200})
    retention = StringField(_l("Retention"), render_kw={"maxlength": 200})
    sdc_rules = TextAreaField(_l("Disclosure-control rules for outputs"), render_kw={"rows": 2})


class NextRoundForm(FlaskForm):
    label = StringField(_l("Name of the new round"), render_kw={"maxlength": 20},
                        description=_l("Usually the year, for example 2028."))


class CohortRequestForm(FlaskForm):
    course = SelectField(_l("Course"), validate_choice=False)
    name = StringField(_l("Name of the workshop"), render_kw={"maxlength": 200})
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    mode = SelectField(_l("How it is run"), validate_choice=False, default="in_person")
    timezone = StringField(_l("Time zone"), default="UTC",
                           description=_l("Where the sessions take place, for example "
                                          "Asia/Amman or Africa/Dakar."))
    trainer_email = StringField(_l("Trainer's e-mail address"),
                                render_kw={"type": "email", "autocomplete": "off"},
                                description=_l("With a trainer account, the workshop is created "
                                               "now with them as its lead trainer. Otherwise "
                                               "they receive an invitation, and the workshop is "
                                               "created when they accept with a trainer "
                                               "account."))

    def __init__(self, courses, modes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = choices(courses)
        self.mode.choices = choices(modes)
