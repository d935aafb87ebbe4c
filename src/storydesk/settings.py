"""storydesk's settings: defaults, overridden by ``STORYDESK_*`` environment variables.

==========================  ================================  =====================================
setting                     variable                          default
==========================  ================================  =====================================
``db_url``                  ``STORYDESK_DB``                  ``sqlite:///`` + the user's data dir
``max_bytes``               ``STORYDESK_MAX_BYTES``           10 MiB (largest input file or line)
``fetch_timeout``           ``STORYDESK_FETCH_TIMEOUT``       10 s (connect and read, per request)
``max_fetch_bytes``         ``STORYDESK_MAX_FETCH_BYTES``     5 MiB (largest download)
``quotes``                  ``STORYDESK_QUOTES``              ``tagger`` (or ``rules``: faster)
``analysis_timeout``        ``STORYDESK_ANALYSIS_TIMEOUT``    60 s per article, and 60 s more per
                                                              100,000 characters of its text
``max_analysis_chars``      ``STORYDESK_MAX_ANALYSIS_CHARS``  300,000 (longer texts: the first
                                                              300,000 characters are analysed)
==========================  ================================  =====================================

``STORYDESK_DB`` takes an SQLAlchemy URL or a plain file path (made an SQLite URL).
``STORYDESK_QUOTES`` picks how quotes are found (:mod:`storydesk.quotes.extract`): the fine-tuned tagger
with the rules' help, or the rules and linear model alone, at about twice the speed.
``STORYDESK_ANALYSIS_TIMEOUT`` is each article's time budget: an article whose analysis runs past
it is reported ("analysis timed out") and the batch goes on (:func:`analysis_budget`).
``STORYDESK_MAX_ANALYSIS_CHARS`` bounds the text analysed: a longer text is stored whole, but
analysed (quotes, actors, facts) up to a paragraph or sentence end before that many characters,
and the command says so for that item.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, PositiveInt, ValidationError

from storydesk.errors import StorydeskError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_FETCH_TIMEOUT = 10.0
DEFAULT_MAX_FETCH_BYTES = 5 * 1024 * 1024
# Calibration: a 230 KB paragraph of 5,000 "X said" sentences analyses in 25 s here (2 cores),
# ordinary articles (2-10 KB) in under 1 s; the budget leaves a busy machine 5x that, while a
# stage gone quadratic on a hostile text (minutes to hours) is stopped.
DEFAULT_ANALYSIS_TIMEOUT = 60.0
BUDGET_CHARS = 100_000  # the budget grows by itself for each this many characters of text
# Calibration: the longest news article in the benchmarks has 100,000 characters, a long feature
# about 30,000. 300,000 characters analyse in about 20 s (--fast) to 35 s (5,000 "X said"
# sentences, the tagger) here; 1,000,000 took 69 s with --fast, past the one-minute mark a
# batch of hostile inputs is held to (issue 16).
DEFAULT_MAX_ANALYSIS_CHARS = 300_000

# Settings field -> the environment variable that overrides it.
ENV_VARS = {
    "db_url": "STORYDESK_DB",
    "max_bytes": "STORYDESK_MAX_BYTES",
    "fetch_timeout": "STORYDESK_FETCH_TIMEOUT",
    "max_fetch_bytes": "STORYDESK_MAX_FETCH_BYTES",
    "quotes": "STORYDESK_QUOTES",
    "analysis_timeout": "STORYDESK_ANALYSIS_TIMEOUT",
    "max_analysis_chars": "STORYDESK_MAX_ANALYSIS_CHARS",
}


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """storydesk's folder in the user's data dir (XDG base directory spec)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "storydesk"


def as_db_url(path_or_url: str) -> str:
    """An SQLAlchemy URL: URLs are kept, a file path becomes an SQLite URL."""
    if "://" in path_or_url:
        return path_or_url
    return f"sqlite:///{Path(path_or_url).expanduser()}"


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    return data_dir(environ) / "storydesk.sqlite"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    db_url: str = Field(default_factory=lambda: as_db_url(str(default_db_path())))
    max_bytes: PositiveInt = DEFAULT_MAX_BYTES
    fetch_timeout: PositiveFloat = DEFAULT_FETCH_TIMEOUT
    max_fetch_bytes: PositiveInt = DEFAULT_MAX_FETCH_BYTES
    quotes: Literal["tagger", "rules"] = "tagger"
    analysis_timeout: PositiveFloat = DEFAULT_ANALYSIS_TIMEOUT
    max_analysis_chars: PositiveInt = DEFAULT_MAX_ANALYSIS_CHARS

    def analysis_budget(self, chars: int) -> float:
        """Seconds the analysis of a text of ``chars`` characters may take."""
        return self.analysis_timeout * (1 + chars / BUDGET_CHARS)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings, from ``environ`` (default: the process environment) over the defaults.

    Raises :class:`StorydeskError` naming the variable when a value is invalid."""
    env = os.environ if environ is None else environ
    values: dict[str, str] = {field: env[var] for field, var in ENV_VARS.items() if env.get(var)}
    values["db_url"] = as_db_url(values.get("db_url") or str(default_db_path(env)))
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        var = ENV_VARS.get(str(first["loc"][0]), str(first["loc"][0])) if first["loc"] else "setting"
        raise StorydeskError(f"{var}: {first['msg']}") from exc
