"""Training pages: the video library (and progress of one's own), and the people pages (scoped)."""
from .library import LibraryView, PosterView, QuizView, StreamView, VideoDetailView, WatchedView  # noqa: F401
from .people import (CountsView, SessionCreateView, SessionDetailView, SessionListView,  # noqa: F401
                     WorkerProgressView, WorkersProgressView)
