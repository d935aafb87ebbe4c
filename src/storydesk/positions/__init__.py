"""Positions: the story's question, where each actor stands on it, and whether the body that
decides it can reach the votes.

``question`` proposes the question and its core; ``holders`` finds stance cues and who holds
them; ``consensus`` tallies a decision body's members.
"""

from storydesk.positions.consensus import Body, assess, load_bodies
from storydesk.positions.holders import build_positions
from storydesk.positions.question import propose

__all__ = ["Body", "assess", "build_positions", "load_bodies", "propose"]
