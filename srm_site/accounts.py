"""Sign-up and the account pages that Django's auth views do not provide."""

from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional. Only used to reset your password if you forget it.",
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def safe_next_url(request, default):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            # Another sign-up took the name between the form's check and this insert.
            form.add_error("username", "A user with that username already exists.")
            return render(request, "registration/signup.html", {"form": form, "next": ""}, status=400)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # An address, never a view name: `redirect` would try to reverse a "next" such as "0" and fail.
        return HttpResponseRedirect(safe_next_url(request, reverse("home")))
    return render(request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")})
