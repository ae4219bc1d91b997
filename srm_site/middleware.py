"""Request checks that belong before any view."""

from django.http import HttpResponseBadRequest


class RefuseNulInQueryMiddleware:
    """Answer 400 to a query string holding a NUL character.

    PostgreSQL cannot store or compare text holding NUL, and the admin passes filter and search
    values straight to the database, so such a URL would end in a 500. Forms already refuse NUL
    (Django's form fields validate it away); query strings are not forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(
                "A character in this address is not allowed (NUL).", content_type="text/plain"
            )
        return self.get_response(request)
