"""Language identification with lingua, restricted to the archive's languages, loaded once."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = {
    Language.ENGLISH: "en",
    Language.RUSSIAN: "ru",
    Language.UKRAINIAN: "uk",
    Language.BELARUSIAN: "be",
    Language.POLISH: "pl",
    Language.GERMAN: "de",
    Language.FRENCH: "fr",
    Language.BULGARIAN: "bg",
}
SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "" when there is too little text to tell."""
    language = _detector().detect_language_of(text[:SAMPLE_CHARS])
    return LANGUAGES.get(language, "") if language is not None else ""
