"""What an HTML page says about itself: its site name, headline and bylines.

trafilatura reads most of it; this module adds what it misses and cleans what it keeps:

- the site name: ``og:site_name``, then the JSON-LD publisher's name, then ``application-name``,
  then trafilatura's ``sitename``;
- the title without the site's name around it: "Headline - WXYZ 9News | City News, Weather"
  and "Headline | Outlet" become "Headline", "Outlet: Headline" too, where the part cut is the
  site name, a name of its outlet (``data/outlets.yaml``) or the page's domain;
- bylines that are names: "By Ann Smith" is "Ann Smith"; dates, e-mail addresses, "Staff",
  "Updated ..." and outlet names are dropped (``data/byline_junk.txt``).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from storydesk import resources
from storydesk.outlets import outlet_for, outlet_names, registered_domain

# Between a headline and the site's name: a bar, a dash (spaced), a colon, a middle dot; the
# underscore and full-width bar Chinese sites put between them unspaced.
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+|:\s+|\s*[_｜]\s*")
_BY = re.compile(r"^\s*(?:by|from|von|par|por|di|door)\s+", re.IGNORECASE)
# Words joined in one byline: "Ann Smith and Bo Lee", "Ann Smith, Bo Lee", "Ann Smith & Bo Lee".
_JOINERS = re.compile(r"\s*(?:;|,|&|\||\band\b|\bund\b|\bet\b|\by\b|\bu\b)\s*")
# Lower-case words inside names ("Ludwig van Beethoven", "Maria da Silva").
_NAME_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "al", "el", "bin", "ibn", "y"}
    | {"dos", "das", "ter", "st."}
)
MAX_NAME_WORDS = 5
_SCRIPT_WITHOUT_CASE = re.compile(r"[^\W\d_]")  # a letter; with no case (Han, Arabic) it is neither upper nor lower


@dataclass
class PageMeta:
    """What the page's markup says, before trafilatura's own reading."""

    site_names: list[str] = field(default_factory=list)  # best first
    titles: list[str] = field(default_factory=list)  # JSON-LD headline, og:title, sole h1, <title>
    headlines: list[str] = field(default_factory=list)  # JSON-LD headline, og:title, h1
    authors: list[str] = field(default_factory=list)  # JSON-LD author names
    date: str | None = None  # JSON-LD datePublished


def page_meta(html: str) -> PageMeta:
    """The site names, headlines, authors and date that ``html``'s meta tags and JSON-LD give."""
    meta = PageMeta()
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return meta
    og_site = _meta_content(root, "og:site_name")
    ld = list(_json_ld_objects(root))
    publishers = [name for obj in ld if (name := _name_of(obj.get("publisher")))]
    app_name = _meta_content(root, "application-name")
    meta.site_names = _distinct([og_site, *publishers, app_name])
    headlines = [obj.get("headline") for obj in ld if isinstance(obj.get("headline"), str)]
    h1s = [" ".join(h.text_content().split()) for h in root.iter("h1")]
    h1 = next(iter(h1s), None)
    og_title = _meta_content(root, "og:title")
    title = next((" ".join(t.text_content().split()) for t in root.iter("title")), None)
    # A page's one h1 is its headline as shown (trafilatura's choice too); <title> is often cut.
    meta.titles = _distinct([*headlines, og_title, h1 if len(h1s) == 1 else None, title])
    meta.headlines = _distinct([*headlines, og_title, h1])
    meta.authors = _distinct([n for obj in ld for n in _names_of(obj.get("author"))])
    meta.date = next((d for obj in ld if isinstance(d := obj.get("datePublished"), str) and d.strip()), None)
    return meta


def _meta_content(root: Any, name: str) -> str | None:
    for element in root.iter("meta"):
        if name in (element.get("property"), element.get("name")):
            value = " ".join((element.get("content") or "").split())
            if value:
                return value
    return None


_ARTICLE_TYPES = ("Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "WebPage")


def _json_ld_objects(root: Any) -> Iterator[dict[str, Any]]:
    """The JSON-LD objects of the page that describe an article or page (``@graph`` opened)."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (json.JSONDecodeError, RecursionError):
            continue
        for obj in _flattened(data):
            kinds = obj.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(k, str) and k.endswith(_ARTICLE_TYPES) for k in kinds):
                yield obj


def _flattened(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flattened(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flattened(data["@graph"])


def _name_of(value: Any) -> str | None:
    if isinstance(value, list):
        return next((n for v in value if (n := _name_of(v))), None)
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _names_of(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [n for v in values if (n := _name_of(v))]


def _distinct(values: list[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _folded(text: str) -> str:
    """Letters and digits only, casefolded: "WXYZ 9News" and "wxyz9news" compare equal."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _site_keys(site_names: Sequence[str], url: str | None) -> set[str]:
    """Every way the page's site may be named in its title, folded: its site names, the names
    of its outlet in ``data/outlets.yaml`` and its domain ("bbc" of bbc.co.uk)."""
    names = list(site_names)
    for given in [*site_names, url]:
        if given and (outlet := outlet_for(given)):
            names += outlet_names(outlet)
    if url and (domain := registered_domain(url)):
        names += [domain, domain.split(".")[0]]  # "Headline | bbc.co.uk", "Headline - BBC"
    keys = {_folded(n) for n in names}
    keys |= {k[3:] for k in keys if k.startswith("the") and len(k) > 6}  # "The Hill" as "Hill"
    return {k for k in keys if k}


def _names_site(part: str, keys: set[str]) -> bool:
    return _folded(part) in keys


# A part after the headline that holds the site's name and a few words more ("WSVN 7News" where
# the site calls itself "WSVN"): a suffix, where a headline would be longer.
MAX_SUFFIX_WORDS = 4
MIN_KEY_CHARS = 4  # shorter names ("AP", "BBC") must match the whole part
# A section between the headline and the site ("Headline | Local News | Site"): a few words.
MAX_SECTION_WORDS = 3
_BAR_PART = re.compile(r"\s+\|\s+([^|]+)$")


def _suffix_names_site(part: str, keys: set[str]) -> bool:
    folded = _folded(part)
    if folded in keys:
        return True
    return len(part.split()) <= MAX_SUFFIX_WORDS and any(
        len(k) >= MIN_KEY_CHARS and (folded.startswith(k) or (k.startswith(folded) and len(folded) >= MIN_KEY_CHARS))
        for k in keys
    )


def _without_sections(head: str) -> str:
    """``head`` less the short parts after bars at its end ("Headline | Local News")."""
    while (m := _BAR_PART.search(head)) and len(m.group(1).split()) <= MAX_SECTION_WORDS and m.start() > 0:
        head = head[: m.start()]
    return head


def clean_title(
    title: str | None, site_names: Sequence[str], url: str | None, headlines: Sequence[str] = ()
) -> str | None:
    """``title`` without the site's name before or after it (see the module's description).

    The title is cut at the first separator whose neighbouring part names the site: the part
    after it and everything after that go ("Headline - Site | Section | City"), or the part
    before it ("Site: Headline"). Without such a part, a headline the page gives elsewhere
    (JSON-LD, og:title, h1) that is the title's first part is taken."""
    if not title:
        return title
    title = " ".join(title.split())
    keys = _site_keys(site_names, url)
    cuts = list(_SEPARATORS.finditer(title))
    for cut in cuts:
        head, tail = title[: cut.start()], title[cut.end() :]
        tail_first = _SEPARATORS.split(tail, maxsplit=1)[0]
        if head and _suffix_names_site(tail_first, keys) and _separator_is_spaced(cut):
            return _shorter(title, _without_sections(head))
    if cuts:
        first = cuts[0]
        head, tail = title[: first.start()], title[first.end() :]
        if tail and _names_site(head, keys):
            return _shorter(title, tail)
        for headline in headlines:
            if headline != title and title.startswith(headline) and _SEPARATORS.match(title, len(headline)):
                return headline
    return title


def _separator_is_spaced(cut: re.Match[str]) -> bool:
    """A colon cuts only a prefix ("Site: Headline"); a suffix follows a spaced separator."""
    return not cut.group().lstrip().startswith(":")


def _shorter(title: str, part: str) -> str:
    part = part.strip()
    return part if len(_folded(part)) >= 3 else title


@functools.cache
def _byline_junk() -> frozenset[str]:
    return frozenset(w.casefold() for w in resources.lines("byline_junk.txt"))


def byline_names(authors: Sequence[str], site_names: Sequence[str] = ()) -> list[str]:
    """The people named in ``authors`` (each a byline as the page gives it), in order, once
    each: "By" and job titles after a comma cut, and bylines that are no names dropped."""
    sites = {_folded(s) for s in site_names}
    found: list[str] = []
    for byline in authors:
        for part in _JOINERS.split(_BY.sub("", byline)):
            name = part.strip(" .|:-–—()")
            if name and _is_name(name) and _folded(name) not in sites and name not in found:
                found.append(name)
    return found


def _is_name(text: str) -> bool:
    """True when ``text`` reads as a person's name: up to five words, no digit, no address,
    no word a byline uses for no one ("Staff", "Updated"), and no outlet's name."""
    if any(c.isdigit() for c in text) or "@" in text or "/" in text or outlet_for(text) is not None:
        return False
    words = text.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or any(w.casefold().strip(".,") in _byline_junk() for w in words):
        return False
    if all(not w.isascii() and not any(c.isupper() or c.islower() for c in w) for w in words):
        return True  # a script without case (Chinese, Arabic): the words above are all it can show
    capitalised = [w for w in words if w.casefold() not in _NAME_PARTICLES and _particle_free(w)]
    return len(words) >= 2 and all(w[0].isupper() for w in capitalised if _SCRIPT_WITHOUT_CASE.match(w[0]))


def _particle_free(word: str) -> bool:
    """False for a particle joined by a hyphen ("al-Sayed", "el-Amin"): it is written lower."""
    head, dash, _ = word.partition("-")
    return not (dash and head.casefold() in _NAME_PARTICLES)
