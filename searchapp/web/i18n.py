"""The UI language: English, Ukrainian or Russian.

Chosen by the reader with the switcher (remembered in a cookie for a year), else from the
browser's Accept-Language. Pages translate through Flask-Babel's catalogs in
searchapp/translations (compiled by `make install`); dates, numbers, language names and entity
labels follow the UI language. The JSON API stays in English.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from babel.dates import format_skeleton
from flask import Blueprint, Flask, Response, abort, current_app, redirect, request
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_locale, gettext

from searchapp.messages import N_, Message
from searchapp.web.auth import safe_next
from searchapp.web.charts import time_chart
from searchapp.web.services import services

LANGUAGES = {"en": "English", "uk": "Українська", "ru": "Русский"}
LANGUAGE_CODES = {"en", "uk", "ru", "be", "pl"}
COOKIE = "ui_lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

bp = Blueprint("i18n", __name__)

# Where a spelling comes from: a transliteration scheme, a language's own spelling, or a source.
SPELLING_SOURCES = {
    "wikipedia": "Wikipedia", "iso9": "ISO 9", "ala_lc": "ALA-LC", "icao": "ICAO", "bgn_pcgn": "BGN/PCGN",
    "mvd_782": N_("Russian passports (MVD 782)"), "scholarly": N_("scholarly"), "german": N_("German"),
    "french": N_("French"), "polish": N_("Polish"), "national_2010": N_("official (2010)"),
    "passport_2007": N_("passports (2007)"), "passport": N_("passports"), "official_2007": N_("official (2007)"),
    "simple": N_("simplified"), "lacinka": "Łacinka", "press": N_("English-language press"),
    "geonames": "GeoNames", "pycountry": N_("ISO country names"), "listed": N_("the archive's name list"),
    "archivist": N_("added by an archivist"),
    "extracted": N_("found in documents"),
}


def select_locale() -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default="en")


@bp.get("/language/<code>")
def choose(code: str) -> Response:
    """The switcher: remember `code` and go back to the page the reader was on."""
    if code not in LANGUAGES:
        abort(404, description=Message("No interface language '%(code)s'", code=code))
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def translate(text: object) -> str:
    """A Message in the UI language; any other text as it is."""
    if isinstance(text, Message):
        return gettext(text.template, **text.values)
    return "" if text is None else str(text)


def local_date(value: str | None) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD written the way the UI language writes it."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return format_date(date.fromisoformat(value), "long")
        if len(parts) == 2:
            return format_skeleton("yMMMM", date(int(parts[0]), int(parts[1]), 1), locale=get_locale())
    except ValueError:
        pass
    return value


def local_time(value: str | None) -> str:
    """An ISO 8601 time in the UI language (UTC, as stored)."""
    try:
        return format_datetime(datetime.fromisoformat(value or ""), "medium")
    except ValueError:
        return value or ""


def spelling_source(system: str) -> str:
    """'ru:iso9' as 'Russian · ISO 9', 'uk' as 'Ukrainian', in the UI language."""
    parts = []
    for part in system.split(":"):
        if part in LANGUAGE_CODES:
            parts.append(language_name(part))
        else:
            scheme = part.rstrip("_0123456789") if part.startswith("press_") else part
            parts.append(gettext(SPELLING_SOURCES.get(scheme, part)))
    return " · ".join(parts)


def language_name(code: str) -> str:
    """'uk' as the UI language names it: Ukrainian, українська, украинский."""
    name = get_locale().languages.get(code, code) if code else ""
    return name[:1].upper() + name[1:]


def entity_label(entity_id: str, fallback: str = "") -> str:
    """A person's or place's name in the UI language (English when it has none)."""
    entity = services().names().entities.get(entity_id)
    return entity.label(str(get_locale())) if entity else (fallback or entity_id)


def _vary(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.vary.update(("Accept-Language", "Cookie"))
        response.headers["Content-Language"] = str(get_locale())
    return response


def init_app(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters.update(translate=translate, local_date=local_date, local_time=local_time,
                                 number=format_decimal, spelling_source=spelling_source, language=language_name,
                                 entity_label=entity_label)
    app.jinja_env.globals.update(ui_languages=LANGUAGES, ui_language=lambda: str(get_locale()),
                                 time_chart=time_chart)
    app.after_request(_vary)
    app.register_blueprint(bp)
