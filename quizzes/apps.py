from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from quizzes.attempts.views import claim_session_attempts
        from quizzes.instructor.roles import sync_instructors_group

        user_logged_in.connect(claim_session_attempts, dispatch_uid="quizzes-claim-anonymous-attempts")
        post_migrate.connect(sync_instructors_group, sender=self, dispatch_uid="quizzes-instructors-group")
