"""The dossier as one standalone HTML page (Jinja2, autoescaping on, CSS inlined, no scripts).

Article text is untrusted: the template never marks data safe, so every title, name, quote and
id reaches the page escaped; a Content-Security-Policy in the page forbids scripts and fetches
as a second line of defence.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from storydesk import __version__
from storydesk.models import Dossier, Story
from storydesk.render.view import clean, format_value, one_line, outlet_count, plural, quote_text, story_view

TEMPLATE = "dossier.html"


def _finalize(value: object) -> object:
    """Applied to every ``{{ … }}`` before escaping: None prints as nothing, control characters go."""
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return clean(value)
    return value


def environment(package: str) -> Environment:
    """A Jinja2 environment over ``package``'s templates that is safe for article text: every
    value autoescaped and cleaned, undefined names an error. The web app uses it too."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["value"] = format_value
    env.filters["plural"] = plural
    env.filters["quote_text"] = quote_text
    return env


@functools.cache
def _template() -> Template:
    return environment("storydesk.render").get_template(TEMPLATE)


def render_html(story: Story | Dossier) -> str:
    """A story's dossier, or every story of a dossier, as a complete HTML document."""
    if isinstance(story, Story):
        stories, overview, page_title = [story], None, one_line(story.title or f"Story {story.story}")
    else:
        stories = story.stories
        articles = sum(len(s.articles) for s in stories)
        counts = [plural(len(stories), "story", "stories"), plural(articles, "article")]
        overview = " · ".join([*counts, plural(outlet_count(stories), "outlet")])
        page_title = f"storydesk dossier ({counts[0]})"
    return _template().render(
        stories=[story_view(s) for s in stories], overview=overview, page_title=page_title, version=__version__
    )
