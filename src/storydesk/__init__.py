"""storydesk: cross-checked story dossiers from news articles."""

__version__ = "0.1.0"
