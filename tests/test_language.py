"""Each article's language: detected with py3langid, or as the input gives it."""

from __future__ import annotations

import pytest

from storydesk.ingest import read_contents
from storydesk.language import detect_language, is_english, language_name, normalise_language
from storydesk.models import Article

TEXTS = {
    "en": "The government said on Tuesday that it would raise the minimum wage from next year.",
    "fr": "Le gouvernement a annoncé mardi qu'il augmenterait le salaire minimum l'année prochaine.",
    "de": "Die Regierung kündigte am Dienstag an, den Mindestlohn im kommenden Jahr zu erhöhen.",
    "es": "El Gobierno anunció el martes que subirá el salario mínimo el próximo año.",
    "zh": "政府周二表示，将从明年起提高最低工资标准。",
    "ru": "Правительство во вторник заявило, что со следующего года повысит минимальную зарплату.",
    "ar": "قالت الحكومة يوم الثلاثاء إنها سترفع الحد الأدنى للأجور اعتبارا من العام المقبل.",
}


@pytest.mark.parametrize(("code", "text"), TEXTS.items())
def test_languages_are_told_apart(code: str, text: str) -> None:
    assert detect_language(text) == code


def test_no_letters_no_language() -> None:
    assert detect_language("12 345 — 678") is None


def test_unknown_reads_as_english() -> None:
    assert is_english(None) and is_english("en") and not is_english("fr")


def test_names_and_given_codes() -> None:
    assert language_name("fr") == "French" and language_name("zho") == "Chinese" and language_name("qq") == "qq"
    assert [normalise_language(v) for v in ("fr-CA", "DE", "pt_BR", "", "english!")] == ["fr", "de", "pt", None, None]


def test_articles_read_carry_their_language_detected_or_given() -> None:
    data = (
        f'{{"id": "1", "text": "{TEXTS["fr"]}"}}\n{{"id": "2", "text": "{TEXTS["en"]}", "language": "en-GB"}}\n'
    ).encode()
    items = list(read_contents([("batch.jsonl", data)]))
    assert [(i.id, i.language) for i in items if isinstance(i, Article)] == [("1", "fr"), ("2", "en")]
