"""Errors the kit reports to people (never as tracebacks)."""


class KitError(Exception):
    """A problem with the kit's input that a person must fix (bad course.yml, missing folder...)."""
