"""What a new plan starts with, and the labels of the plan's fixed lists.

The standard indicators are the SDG and GCM migration indicators of the
domain brief (C.3 §9) plus two national ones every migration data plan needs;
each names the framework questions whose consensus levels tell whether the
data exist (questions missing from a framework are simply ignored). All texts
are translated with Flask-Babel when a plan is drafted and then stored in the
plan, where the team edits them.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.assessments.plan.models import DIMENSIONS

APPROVAL_LABELS = {"draft": _l("Draft"), "submitted": _l("Submitted for approval"),
                   "approved": _l("Approved")}
STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"),
                 "done": _l("Done"), "blocked": _l("Blocked")}
FUNDING_LABELS = {"domestic": _l("Domestic budget"), "donor": _l("Donor"),
                  "mixed": _l("Mixed (domestic and donor)"), "unfunded": _l("Unfunded")}
GAP_TYPE_LABELS = {"data": _l("Data"), "reporting": _l("Reporting"),
                   "financial": _l("Financial"), "geographic": _l("Geographic"),
                   "capacity": _l("Capacity")}
DIMENSION_LABELS = {"sex": _l("Sex"), "age": _l("Age"), "migratory_status": _l("Migratory status"),
                    "disability": _l("Disability"), "education": _l("Education"),
                    "ethnicity": _l("Race / ethnicity"), "gender_identity": _l("Gender identity"),
                    "geography": _l("Geography")}
DSA_LABELS = {"signed": _l("Signed"), "in_negotiation": _l("In negotiation"), "none": _l("None"),
              "not_needed": _l("Not needed"), "unknown": _l("Unknown")}
DPIA_LABELS = {"done": _l("Done"), "planned": _l("Planned"), "none": _l("None"),
               "not_needed": _l("Not needed"), "unknown": _l("Unknown")}
PRIORITY_LABELS = {3: _l("High"), 2: _l("Medium"), 1: _l("Low")}
IMPORTANCE_LABELS = {3: _l("3 – high"), 2: _l("2 – medium"), 1: _l("1 – low")}
LANGUAGE_CHOICES = (("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية"))
CURRENCIES = ("USD", "EUR", "GBP", "CHF", "JOD", "XOF", "XAF", "KES", "COP", "MXN", "MAD",
              "EGP", "TND", "NGN", "GHS", "ZAR", "ETB", "UGX", "TZS", "RWF", "INR", "PHP",
              "IDR", "THB", "BDT", "PKR", "LKR", "NPR", "TRY", "LBP", "IQD", "SDG", "SSP")


@dataclass(frozen=True)
class StandardIndicator:
    key: str
    policy_question: object         # lazy strings
    indicator: object
    definition: object
    source: object
    frequency: object
    responsible: str                # an institution code
    disaggregation: tuple[str, ...]
    questions: tuple[str, ...]      # framework question ids that tell whether the data exist


ALL = DIMENSIONS
STANDARD_INDICATORS = (
    StandardIndicator(
        "migrant-stock",
        _l("How many international migrants live in the country, and who are they?"),
        _l("International migrant stock and its share of the population"),
        _l("Foreign-born and foreign-citizen residents, by country of birth and citizenship, "
           "as a number and as a share of the total population."),
        _l("Population census; household surveys; population registers"),
        _l("Census every 10 years; surveys every year"), "nso", ALL,
        ("census-last-ten-years", "census-core-migration-topics", "survey-migration-module")),
    StandardIndicator(
        "migration-flows",
        _l("How many people arrive, leave and return each year?"),
        _l("Annual immigration, emigration and return flows"),
        _l("People who changed their country of usual residence during the year, by "
           "direction, citizenship and reason."),
        _l("Border records; residence and work permits; population registers"),
        _l("Every year"), "interior", ("sex", "age", "migratory_status", "geography"),
        ("annual-migration-flows", "border-entries-exits", "return-migration",
         "emigrant-stock-estimates")),
    StandardIndicator(
        "sdg-10-7-1",
        _l("What do migrant workers pay to get a job abroad?"),
        _l("SDG 10.7.1 Recruitment cost borne by employee as a proportion of monthly income "
           "earned in country of destination"),
        _l("Recruitment costs paid by workers, divided by their first monthly earnings "
           "abroad."),
        _l("Labour force survey module; specialised migration survey"),
        _l("Every 2 to 3 years"), "labour", ("sex", "age", "migratory_status", "education"),
        ("recruitment-cost-indicator", "survey-migration-module")),
    StandardIndicator(
        "sdg-10-7-2",
        _l("Does the country have well-managed migration policies?"),
        _l("SDG 10.7.2 Number of countries with migration policies that facilitate orderly, "
           "safe, regular and responsible migration and mobility of people"),
        _l("The government's answers to the UN Inquiry among Governments on Population and "
           "Development, six policy domains."),
        _l("UN Inquiry among Governments (government questionnaire)"),
        _l("Every 2 years"), "foreign-affairs", (),
        ("migration-policy-indicator",)),
    StandardIndicator(
        "sdg-10-7-3",
        _l("How many people die or go missing while migrating?"),
        _l("SDG 10.7.3 Number of people who died or disappeared in the process of migration "
           "towards an international destination"),
        _l("Deaths and disappearances recorded during migration, by route and cause."),
        _l("Border, coastguard and forensic records; IOM Missing Migrants Project"),
        _l("Every year"), "interior", ("sex", "age", "geography"),
        ("migrant-deaths-data",)),
    StandardIndicator(
        "sdg-10-7-4",
        _l("How many refugees come from the country?"),
        _l("SDG 10.7.4 Proportion of the population who are refugees, by country of origin"),
        _l("Refugees originating from the country, as a share of its population."),
        _l("Refugee agency registers; UNHCR data"),
        _l("Every year"), "refugee-agency", ("sex", "age", "geography"),
        ("refugee-idp-statistics",)),
    StandardIndicator(
        "sdg-10-c-1",
        _l("How much does it cost migrants to send money home?"),
        _l("SDG 10.c.1 Remittance costs as a proportion of the amount remitted"),
        _l("The average cost of sending 200 US dollars, as a share of the amount."),
        _l("World Bank Remittance Prices Worldwide; central bank"),
        _l("Every quarter"), "planning", (), ()),
    StandardIndicator(
        "sdg-17-18-1",
        _l("Are the SDG indicators broken down by migratory status?"),
        _l("SDG 17.18.1 Statistical capacity indicator for SDG monitoring (national "
           "contribution: indicators disaggregated by migratory status)"),
        _l("Share of the relevant SDG indicators published by migratory status."),
        _l("NSO indicator inventory"), _l("Every year"), "nso", ("migratory_status",),
        ("sdg-indicators-by-migratory-status", "migratory-status-disaggregation")),
    StandardIndicator(
        "sdg-17-18-2",
        _l("Does the statistics law comply with the Fundamental Principles?"),
        _l("SDG 17.18.2 Number of countries that have national statistical legislation that "
           "complies with the Fundamental Principles of Official Statistics"),
        _l("Whether the statistics law complies with the UN Fundamental Principles."),
        _l("Review of the statistics law"), _l("When the law changes"), "nso", (),
        ("fpos-compliant-legislation", "statistics-law-mandate")),
    StandardIndicator(
        "sdg-17-18-3",
        _l("Is the national statistical plan fully funded?"),
        _l("SDG 17.18.3 Number of countries with a national statistical plan that is fully "
           "funded and under implementation, by source of funding"),
        _l("Whether the NSDS, including its migration data activities, is funded and under "
           "implementation."),
        _l("NSDS; budget documents"), _l("Every year"), "planning", (),
        ("domestic-budget-line", "migration-in-national-plans")),
)

# A dimension counts as available today when the consensus level of one of
# these questions is 3 or more (questions missing from a framework are ignored).
DIMENSION_QUESTIONS = {
    "sex": ("sex-age-disaggregation",),
    "age": ("sex-age-disaggregation",),
    "migratory_status": ("migratory-status-disaggregation",),
    "disability": ("other-dimensions-disaggregation",),
    "education": ("other-dimensions-disaggregation",),
    "ethnicity": ("other-dimensions-disaggregation",),
    "gender_identity": (),
    "geography": ("subnational-disaggregation",),
}

# The data each institution usually sends to the NSO (the data-flows annex).
FLOW_DATA = {
    "interior": _l("Residence permits, visas and border crossings (individual records)"),
    "labour": _l("Work permits and labour migration records (individual records)"),
    "foreign-affairs": _l("Consular registrations of citizens abroad (individual records)"),
    "civil-registration": _l("Births, deaths and marriages with citizenship and country of "
                             "birth (individual records)"),
    "refugee-agency": _l("Asylum applications and refugee registrations (individual records)"),
}

# Keywords in a question id that say an action needs a data protection step.
PROTECTION_KEYWORDS = {
    "needs_dpia": ("dpia", "linkage", "new-data", "unique-identifiers"),
    "needs_dsa": ("sharing", "admin-data", "linkage", "unique-identifiers", "admin-statistics"),
    "needs_sdc": ("disclosure", "microdata", "open-data", "release"),
}


def default_principles() -> str:
    return str(_l(
        "Personal data on migrants are processed lawfully, for specified statistical "
        "purposes only, and never used for enforcement (a statistical firewall). Each "
        "inter-agency transfer has a legal basis and a data sharing agreement; a data "
        "protection impact assessment is carried out before any new linkage or new source; "
        "outputs are released only after statistical disclosure control. The plan follows "
        "the national data protection law, the UN Personal Data Protection and Privacy "
        "Principles and the IOM Data Protection Principles."))


def default_governance() -> str:
    return str(_l(
        "The inter-agency working group on migration data, chaired by the lead agency, "
        "steers the plan. It meets every quarter to review the status of each action and "
        "reports once a year to the national statistical council. The self-assessment is "
        "repeated every one to two years to measure progress against the targets. Progress "
        "is reported in the Voluntary National Review (VNR) and at the International "
        "Migration Review Forum (IMRF)."))


GLOSSARY = (
    (_l("DPIA"), _l("Data protection impact assessment: a documented analysis of the risks "
                    "of a processing operation for the people concerned, and of the measures "
                    "that reduce them, done before the processing starts.")),
    (_l("DSA"), _l("Data sharing agreement: a signed agreement between two institutions that "
                   "sets what data are shared, for which purpose, on which legal basis, with "
                   "which safeguards and for how long.")),
    (_l("SDC"), _l("Statistical disclosure control: the rules and methods that prevent "
                   "published statistics from revealing information about an identifiable "
                   "person.")),
    (_l("NSDS"), _l("National strategy for the development of statistics: the national "
                    "statistical system's multi-year plan.")),
    (_l("GCM"), _l("Global Compact for Safe, Orderly and Regular Migration (2018); its "
                   "Objective 1 is to collect and use accurate and disaggregated data.")),
    (_l("International migrant"), _l("A person who changes their country of usual residence "
                                     "(UN Recommendations on Statistics of International "
                                     "Migration).")),
    (_l("Migratory status"), _l("Whether a person is a migrant, and of which kind (for "
                                "example by citizenship, country of birth or reason for "
                                "migration): a disaggregation dimension of the SDGs.")),
)

REFERENCES = (
    "UN Recommendations on Statistics of International Migration, Revision 2 (forthcoming) and "
    "the 2021 revised conceptual framework (UN Expert Group on Migration Statistics)",
    "Global Compact for Safe, Orderly and Regular Migration (UN General Assembly resolution "
    "73/195, 2018), Objective 1",
    "Fundamental Principles of Official Statistics (UN General Assembly resolution 68/261, 2014)",
    "PARIS21, NSDS Guidelines 3.0 (2020)",
    "IOM Migration Data Strategy (2020)",
)
