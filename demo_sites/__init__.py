"""Three realistic Vietnamese demo web sites, rendered from the bundled corpus and served on loopback."""

from .content import Article, ContentError, Image, load_articles
from .server import AccessRecord, DemoWeb, RunningSite, ground_truth, start_demo_sites

__all__ = [
    "AccessRecord",
    "Article",
    "ContentError",
    "DemoWeb",
    "Image",
    "RunningSite",
    "ground_truth",
    "load_articles",
    "start_demo_sites",
]
