"""Choosing the interface language, and names of languages and countries."""

from functools import lru_cache

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}
LANG_COOKIE = "lang"


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():      # CLI, jobs: English unless force_locale says otherwise
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user
    if user and getattr(user, "is_authenticated", False) and user.locale in supported:
        return user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in supported:
        return cookie
    return request.accept_languages.best_match(supported) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "en").split("_")[0]


def text_direction(lang: str | None = None) -> str:
    lang = lang or current_language()
    return "rtl" if lang in current_app.config["RTL_LANGUAGES"] else "ltr"


@lru_cache(maxsize=8)
def _countries(lang: str) -> tuple[tuple[str, str], ...]:
    import gettext

    import pycountry

    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        translate = tr.gettext
    except OSError:
        def translate(s):
            return s
    names = [(c.alpha_2, translate(c.name)) for c in pycountry.countries]
    return tuple(sorted(names, key=lambda item: item[1].casefold()))


def country_choices(lang: str | None = None) -> list[tuple[str, str]]:
    """ISO 3166-1 countries as (alpha-2 code, name in the interface language)."""
    return list(_countries(lang or current_language()))


def country_name(code: str | None, lang: str | None = None) -> str:
    if not code:
        return ""
    return dict(_countries(lang or current_language())).get(code, code)


COUNTRY_CODES = frozenset(c for c, _ in _countries("en"))
