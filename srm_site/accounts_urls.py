from django.urls import include, path

from srm_site import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    # Django's own views: login, logout (POST only), password change and reset.
    path("", include("django.contrib.auth.urls")),
]
