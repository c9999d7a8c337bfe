"""Autograder kit for a 'Transformers from scratch' course.

A grade travels: course.yml -> course model -> intake -> sandbox (student code, out of process)
-> hidden pytest suites (trusted process) -> scoring -> diagnosis -> feedback -> exporters.
"""

__version__ = "0.1.0"
