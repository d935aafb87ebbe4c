"""Quotes: direct, indirect and mixed quotes, each with its cue and speaker.

``extract`` is the stage (the ``storydesk_quotes`` component); it finds quotation marks
(``marks``), transcript turns (``turns``), candidate contents and cues (``features``), scores
them with the linear model (``model``) or the fine-tuned tagger (``tagger``) and links each
content to its cue and source (``assembly``).
"""

from storydesk.quotes.extract import QuoteExtractor
from storydesk.quotes.marks import QuoteSpan, find_quotes
from storydesk.quotes.tagger import load_tagger
from storydesk.quotes.turns import Turn, find_turns

__all__ = ["QuoteExtractor", "QuoteSpan", "Turn", "find_quotes", "find_turns", "load_tagger"]
