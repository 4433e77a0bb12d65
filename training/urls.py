from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.LibraryView.as_view(), name="library"),
    path("videos/<int:pk>/", views.VideoDetailView.as_view(), name="video"),
    path("videos/<int:pk>/stream/", views.StreamView.as_view(), name="stream"),
    path("videos/<int:pk>/poster/", views.PosterView.as_view(), name="poster"),
    path("videos/<int:pk>/watched/", views.WatchedView.as_view(), name="watched"),
    path("videos/<int:pk>/quiz/", views.QuizView.as_view(), name="quiz"),
    path("workers/", views.WorkersProgressView.as_view(), name="workers"),
    path("workers/<int:pk>/", views.WorkerProgressView.as_view(), name="worker"),
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session_new"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session"),
    path("trained/", views.CountsView.as_view(), name="counts"),
]
