"""Texts too short to be an article: refused as they are read, each with a line naming it.

A text of a few words (a stray line, a page's "Share this" left over, a test file) would
otherwise become a story of its own in every list.
"""

from __future__ import annotations

import re

# Fewer words than this is no article. The shortest texts of the bench corpora that are
# articles are one-sentence ECB+ items of 7 and 8 words ("The parliament election is over in
# Turkmenistan."); of their 7,973 English texts only GVA's page furniture ("0:19 Who took the
# Wichita flag?", "Or, use your facebook account: facebook") falls under 7 words. 6 is also the
# least an HTML page's sentence needs (readers.MIN_SENTENCE_WORDS).
MIN_ARTICLE_WORDS = 6
# Scripts written without spaces (Han, kana) count one word per this many characters: Chinese
# words average about 1.5 characters, Japanese about 2.
CJK_CHARS_PER_WORD = 2
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words of ``text``: runs between spaces holding a letter or digit, and Han or kana
    characters counted :data:`CJK_CHARS_PER_WORD` to a word."""
    cjk = len(_CJK.findall(text))
    spaced = _CJK.sub(" ", text).split()
    return sum(1 for word in spaced if any(c.isalnum() for c in word)) + cjk // CJK_CHARS_PER_WORD


def too_short(text: str, least: int = MIN_ARTICLE_WORDS) -> str | None:
    """The reason ``text`` is no article ("too short ..."), or None when it has ``least``
    words or more."""
    words = word_count(text)
    if words >= least:
        return None
    return f"too short to be an article ({words} word{'s' if words != 1 else ''}; at least {least})"
