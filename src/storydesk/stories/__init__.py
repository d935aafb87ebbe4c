"""Stories: which articles report the same story, and which are wire copies of one origin.

``cluster`` assigns articles to stories online in date order over word, name and number
channels (``terms``, ``centroids``) and splits a story that holds two events (``split``);
``syndication`` finds wire copies and their origin; ``title`` names a story.
"""

from storydesk.stories.cluster import Move, StoryClusterer, story_id
from storydesk.stories.syndication import Origin, copied_from, find_copies, independent_origins, origin_key
from storydesk.stories.title import story_title

__all__ = [
    "Move",
    "Origin",
    "StoryClusterer",
    "copied_from",
    "find_copies",
    "independent_origins",
    "origin_key",
    "story_id",
    "story_title",
]
