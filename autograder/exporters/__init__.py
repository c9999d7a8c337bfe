"""Exporters: the grade record in the formats instructors load elsewhere."""
