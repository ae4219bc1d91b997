from django.urls import path

from quizzes.attempts import views

app_name = "quizzes"

urlpatterns = [
    path("", views.quiz_list, name="list"),
    path("<slug:slug>/start/", views.start_quiz, name="start"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:pk>/q/<int:number>/", views.question, name="question"),
    path("attempts/<int:pk>/review/", views.review, name="review"),
    path("attempts/<int:pk>/finish/", views.finish, name="finish"),
    path("attempts/<int:pk>/retry/", views.retry, name="retry"),
    path("attempts/<int:pk>/discard/", views.discard, name="discard"),
    path("attempts/<int:pk>/results/", views.results, name="results"),
]
