"""storydesk's web app: server-rendered pages and a JSON API over the store (``storydesk serve``).

Pages list and search stories, show a story's sources side by side with the quotes and facts
highlighted, an actor's quotes across stories, and an ingest form; ``/api/…`` serves the same
data as JSON (``/docs`` lists it). Reads are open; writes need the token the server was started
with, and without one the server is read-only.
"""

from storydesk.web.app import create_app, env_token, serve

__all__ = ["create_app", "env_token", "serve"]
