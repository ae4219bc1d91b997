from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from quizzes.views import claim_session_attempts

        user_logged_in.connect(claim_session_attempts, dispatch_uid="quizzes-claim-anonymous-attempts")
