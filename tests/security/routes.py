"""The site's URL patterns as data, read from the resolver, so that a URL added later is covered by
the suite without anyone remembering to list it."""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern

ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    pattern: str  # the whole pattern, as ResolverMatch.route spells it: "quizzes/attempts/<int:pk>/"
    name: str  # "quizzes:question"; an unnamed pattern is named by its pattern
    converters: dict  # parameter name -> converter (route syntax)
    groups: tuple  # parameter names of regex parts (re_path syntax)

    @property
    def is_admin(self):
        return self.pattern.startswith("admin/")

    @property
    def parameters(self):
        return (*self.converters, *self.groups)

    @property
    def takes_an_id(self):
        return any(isinstance(converter, IntConverter) for converter in self.converters.values())

    def url(self, **values):
        """The path of this pattern with every parameter replaced by `values[name]`."""
        path = (
            REGEX_GROUP.sub(lambda match: str(values[match.group(1)]), self.pattern).replace("^", "").replace("$", "")
        )
        path = "/" + ROUTE_PARAMETER.sub(lambda match: str(values[match.group(1)]), path)
        # A path that resolves elsewhere would test another view under this one's name.
        assert resolve(path).route == self.pattern, f"{path} does not resolve to {self.pattern}"
        return path


def walk(patterns, prefix="", namespace="", converters=None, groups=()):
    for entry in patterns:
        found_converters = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        found_groups = groups
        if isinstance(entry.pattern, RegexPattern):
            found_groups = (*groups, *entry.pattern.regex.groupindex)
        part = str(entry.pattern)
        # Joined as Django joins ResolverMatch.route: a regex part loses its "^" after a prefix.
        pattern = prefix + (part.removeprefix("^") if prefix else part)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, pattern, inner, found_converters, found_groups)
        else:
            name = f"{namespace}{entry.name}" if entry.name else pattern
            yield Route(pattern=pattern, name=name, converters=found_converters, groups=found_groups)


def all_routes():
    return list(walk(get_resolver().url_patterns))
