"""Lets plain `pytest` run the public checks in checks/ on your modules (generated; do not edit)."""

from autograder.public import draw, seed, student, _local_student  # noqa: F401
