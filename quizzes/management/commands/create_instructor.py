"""Create an instructor: a staff account in the Instructors group (see quizzes/instructor/roles.py).

    python manage.py create_instructor USERNAME --email E

The password is asked for twice at a terminal; otherwise (scripts, CI) it is read from the
DJANGO_INSTRUCTOR_PASSWORD environment variable. Either way it must pass the site's password
validators. --dry-run checks everything and creates nothing."""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from quizzes.instructor.roles import ensure_instructors_group

PASSWORD_VARIABLE = "DJANGO_INSTRUCTOR_PASSWORD"


class Command(BaseCommand):
    help = "Create an instructor account (staff, in the Instructors group)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The instructor's email address (optional).")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, create nothing.")

    def handle(self, *args, username, email, dry_run, **options):
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists; choose another name.")
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"--email: {error.messages[0]}") from error
        user = user_model(username=username, email=email, is_staff=True)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        password = self.read_password(user)
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(ensure_instructors_group())
            if dry_run:
                transaction.set_rollback(True)
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(f"{verb} instructor {username!r}: staff, in the Instructors group.")

    def read_password(self, user):
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not sys.stdin.isatty():
                raise CommandError(f"Not at a terminal: set {PASSWORD_VARIABLE} to give the password.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from error
        return password
