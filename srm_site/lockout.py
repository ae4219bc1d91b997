"""Login throttling glue for django-axes: whose address a failure counts against, and the page a
locked-out visitor sees instead of the login form."""

import ipaddress

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def client_ip(request):
    """The visitor's address. Behind PROXY_COUNT proxies it is the entry that many places from the end
    of X-Forwarded-For, the one the outermost proxy wrote; entries further left come from the client
    and prove nothing."""
    remote_addr = request.META.get("REMOTE_ADDR")
    if not settings.PROXY_COUNT:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < settings.PROXY_COUNT:
        # The request did not pass every proxy, so the connection itself is the client.
        return remote_addr
    candidate = forwarded[-settings.PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


# The length of the column django-axes records a failed login's username in.
USERNAME_COLUMN = 255


def attempted_username(request, credentials):
    """The username a login tried, cut to fit axes' column: a longer one (no account has one) would
    otherwise fail the insert and turn a wrong login into a 500."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    name = credentials.get(field) if credentials else request.POST.get(field)
    return name[:USERNAME_COLUMN] if isinstance(name, str) else name


def lockout_response(request, original_response, credentials):
    """429 with our own page: when to try again and how to reset the password, in the site's look."""
    cool_off = get_cool_off(request)
    # Every attempt during a lockout restarts the wait (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT),
    # so it ends one cool-off from now.
    retry_at = timezone.now() + cool_off
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": int(cool_off.total_seconds() // 60),
            "retry_at": retry_at,
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
