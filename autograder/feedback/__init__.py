"""Feedback: the grade record rendered for a student (terminal, ANSI, HTML, plain text)."""
