"""Every article read is cleaned here, once, at the edge, so no later stage meets text it
cannot encode, store or print.

- The text: lone surrogates and C0 control characters other than tab and line ends (and
  DEL) become U+FFFD, one character for one, and a run of more than :data:`MAX_WORD` characters without
  a space gets a space every :data:`MAX_WORD` characters in place of the character there.
  Nothing else changes: spans are offsets into the text as the caller gave it (the batch
  contract), so the text keeps its length and is *not* NFC-normalised (composing characters
  would shift every offset after them).
- Metadata (id, title, url, source, authors): the same characters replaced (line ends and
  tabs by spaces, so a title is one line), NFC-normalised and cut to a sane length.
- The language given (news-please's ``language``, "fr-CA"): its ISO 639 code, else none.
- The date: kept exactly as given when it is ISO 8601 (stories order by it and readers
  compare it as given), converted to ISO 8601 when it is in a common other form (RFC 2822,
  "January 31, 2018", "31 January 2018", "2018/01/31", ...), else dropped: the article is
  kept without it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from storydesk.language import normalise_language
from storydesk.models import Article

REPLACEMENT = "\ufffd"
# spaCy's tokenizer peels prefixes and suffixes off a space-free run one character at a time,
# each time copying the rest: quadratic in the run's length (100,000 "&" take half an hour).
# No word of news text comes near this length; a URL or a blob of symbols may, and gets a
# space (in place of one character) every MAX_WORD characters.
MAX_WORD = 500
MAX_ID = 1000
MAX_TITLE = 1000
MAX_URL = 2048
MAX_FIELD = 300  # source, each author
MAX_AUTHORS = 50
MAX_DATE = 64  # longer is no date: dropped, never parsed or echoed

# In the text: C0 controls but tab, line feed and carriage return; DEL; lone surrogates (the
# UTF-16 halves JSON's "\ud800" escapes and surrogate-escaped file names leave in a str).
# C1 controls stay: text decoded with the wrong legacy code page carries them (PolNeAR has a
# "\x83"), they store and print as any character, and replacing them would change outputs.
_BAD_TEXT = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# In metadata, one line each: every control character, C1 too.
_BAD_FIELD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACE_CONTROLS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85]")  # line ends and tabs: a space in a field
_ISO_REDUCED = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2]))?")
_LONG_WORD = re.compile(rf"[^\s]{{{MAX_WORD + 1},}}")
# Common non-ISO forms, tried in order with strptime (English month names, as news uses).
_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%B %d, %Y %H:%M",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %I:%M %p",
    "%A, %B %d, %Y",
    "%a, %d %b %Y",
)


def clean_article(article: Article) -> Article:
    """``article`` with its text and metadata cleaned (see the module's description)."""
    return Article(
        id=clean_field(article.id, MAX_ID),
        text=clean_text(article.text),
        title=_optional(article.title, MAX_TITLE),
        url=_optional(article.url, MAX_URL),
        source=_optional(article.source, MAX_FIELD),
        date=clean_date(article.date),
        authors=[a for a in (clean_field(a, MAX_FIELD) for a in article.authors[:MAX_AUTHORS]) if a.strip()],
        language=normalise_language(article.language),
    )


def clean_text(text: str) -> str:
    """``text`` with the same length and every character at its place: unusable characters
    replaced by U+FFFD and over-long words split by a space (see :data:`MAX_WORD`)."""
    text = _BAD_TEXT.sub(REPLACEMENT, text)
    return _LONG_WORD.sub(_split_word, text)


def _split_word(match: re.Match[str]) -> str:
    chars = list(match.group())
    for i in range(MAX_WORD, len(chars), MAX_WORD + 1):
        chars[i] = " "
    return "".join(chars)


def clean_field(value: str, limit: int) -> str:
    """A metadata value: one line of storable, NFC-normalised text of at most ``limit``
    characters (cut with "…")."""
    value = _BAD_FIELD.sub(REPLACEMENT, _SPACE_CONTROLS.sub(" ", value))
    value = unicodedata.normalize("NFC", value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _optional(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    return clean_field(value, limit) or None


def clean_date(value: str | None) -> str | None:
    """``value`` as given when ISO 8601, converted to ISO 8601 from a common other form, else
    None."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_DATE or _BAD_FIELD.search(value):
        return None
    if _is_iso(value):
        return value
    parsed = _parse(value)
    return parsed.isoformat() if parsed is not None else None


def _is_iso(value: str) -> bool:
    # fromisoformat reads ISO 8601 dates and datetimes (with "Z" or an offset) since 3.11; a
    # year or a year and month alone are ISO 8601 too.
    if _ISO_REDUCED.fullmatch(value):
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _parse(value: str) -> datetime | date | None:
    try:
        return parsedate_to_datetime(value)  # RFC 2822: "Wed, 31 Jan 2018 10:00:00 +0000"
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed if "%H" in fmt or "%I" in fmt else parsed.date()
    return None
