"""Request checks that belong before any view."""

from django.http import HttpResponseBadRequest

# No page of the site takes a query value anywhere near this long (a search term, a filter, a page
# number); SQLite refuses a LIKE pattern over 50,000 bytes with an error, which the admin's search
# would turn into a 500.
MAX_QUERY_VALUE_LENGTH = 1000


class QueryStringChecksMiddleware:
    """Answer 400 to a query string holding a NUL character or an overlong value.

    PostgreSQL cannot store or compare text holding NUL, and the admin passes filter and search
    values straight to the database, so such a URL would end in a 500. Forms already refuse NUL
    (Django's form fields validate it away); query strings are not forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pairs = [(key, value) for key, values in request.GET.lists() for value in values]
        if any("\x00" in key or "\x00" in value for key, value in pairs):
            return HttpResponseBadRequest(
                "A character in this address is not allowed (NUL).", content_type="text/plain"
            )
        if any(len(key) > MAX_QUERY_VALUE_LENGTH or len(value) > MAX_QUERY_VALUE_LENGTH for key, value in pairs):
            return HttpResponseBadRequest(
                f"A value in this address is too long (over {MAX_QUERY_VALUE_LENGTH} characters).",
                content_type="text/plain",
            )
        return self.get_response(request)
