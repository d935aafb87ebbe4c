"""Transcript turns: lines that open with a speaker's label and a colon ("SMITH: We will appeal.").

Interview and debate transcripts, press-conference records and Q&A pieces give each speaker's
words after a label in capitals, often inside quotation marks when an article quotes the
transcript ('"SMITH: We will appeal."'). Each such line is one quote of the label's speaker, its
content the rest of the line. Labels that open news lines without naming a speaker ("UPDATE:",
"WATCH:") are listed in ``data/transcript_labels.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storydesk.lexicon import non_speaker_labels

# At a line start, after optional quotation marks: one to four words in capitals (initials,
# apostrophes and hyphens allowed), then a colon and a space. Capitals tell a speaker's label
# from a headline's "Mayor Lee: ..." or a sentence's "Note that: ..."
LABEL = re.compile(
    r"^[ \t\"'“‘]*(?P<label>[A-Z][A-Z.'’\-]*(?:[ \t]+[A-Z][A-Z.'’\-]*){0,3}):[ \t]+(?=\S)",
    re.MULTILINE,
)
CLOSING = " \t\"'”’"  # trailing marks a turn's content does not keep when it opened with one


@dataclass(frozen=True)
class Turn:
    """One transcript line: the label's char span and the spoken words'."""

    label: tuple[int, int]
    content: tuple[int, int]

    @property
    def colon(self) -> tuple[int, int]:
        """The colon right after the label."""
        return self.label[1], self.label[1] + 1


def _is_label(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and word.lower() not in non_speaker_labels()


def find_turns(text: str) -> list[Turn]:
    """The transcript turns of ``text``, in order."""
    turns = []
    for m in LABEL.finditer(text):
        label = m.group("label")
        if not _is_label(label.rstrip(".")):
            continue
        start = m.end()
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        opened = any(c in '"“' for c in text[m.start() : m.start("label")])
        while end > start and text[end - 1] in (CLOSING if opened else " \t"):
            end -= 1
        if end > start:
            turns.append(Turn((m.start("label"), m.end("label")), (start, end)))
    return turns
