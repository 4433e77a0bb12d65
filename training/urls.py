from django.urls import include, path

from . import views

# One video's pages, under the video's address.
video_pages = [
    path("", views.VideoDetailView.as_view(), name="video"),
    path("stream/", views.StreamView.as_view(), name="stream"),
    path("poster/", views.PosterView.as_view(), name="poster"),
    path("watched/", views.WatchedView.as_view(), name="watched"),
    path("quiz/", views.QuizView.as_view(), name="quiz"),
]

app_name = "training"
urlpatterns = [
    path("", views.LibraryView.as_view(), name="library"),
    path("videos/<int:pk>/", include(video_pages)),
    path("workers/", views.WorkersProgressView.as_view(), name="workers"),
    path("workers/<int:pk>/", views.WorkerProgressView.as_view(), name="worker"),
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session_new"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("trained/", views.CountsView.as_view(), name="counts"),
]
