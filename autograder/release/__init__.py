"""Release: from the single source (solutions/ with nbgrader markers) to what students and tools get."""
