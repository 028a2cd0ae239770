"""The web front end: bookmarkable faceted search with JSON, Atom and CSV twins of every search."""
from search_web.app import create_app

__all__ = ["create_app"]
