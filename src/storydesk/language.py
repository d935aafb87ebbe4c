"""The language of an article's text, detected with py3langid (ISO 639-1 codes: "en", "fr").

storydesk's analysis stages read English (the spaCy model, the quote rules, the sentence
encoder); an article in another language is stored and listed with its language and left out
of them (see :func:`is_english`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ENGLISH = "en"
# Below this probability the text is called no language (None) and analysed as English. On the
# bench corpora's 7,973 English articles (BASIL, GVA, ECB+, PolNeAR) py3langid says "en" for all
# but five: two Facebook notices in Portuguese and Spanish (0.94, 0.58) and three English texts
# it misreads with little confidence (at most 0.12: transcripts and all-capital text).
MIN_CONFIDENCE = 0.5
# The first characters decide: a page's language shows in its first paragraphs, and the
# detector's time grows with the text.
SAMPLE_CHARS = 4000


@functools.cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # Normalised probabilities, so that one threshold holds for short and long texts alike.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639 code of ``text``'s language, or None when the detector is unsure."""
    sample = text[:SAMPLE_CHARS]
    if not any(c.isalpha() for c in sample):
        return None
    code, confidence = _identifier().classify(sample)
    return str(code) if confidence >= MIN_CONFIDENCE else None


def is_english(language: str | None) -> bool:
    """True for English and for an unknown language (read as English, as before detection)."""
    return language is None or language == ENGLISH


def language_name(code: str) -> str:
    """The English name of an ISO 639 code ("fr" -> "French"); the code when unknown."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    return str(found.name) if found is not None else code


def normalise_language(value: str | None) -> str | None:
    """A language given by the input ("fr", "FR", "fr-CA", "fr_FR") as its ISO 639 code."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None
