import subprocess
import sys

import pytest

from autograder.course import load_course, parse_course
from autograder.errors import KitError


def test_course_yml_loads(course):
    assert course.modules[0] == "tokenizer" and len(course.modules) == 8
    assert course.total_points == 100


@pytest.mark.parametrize(
    "text, words",
    [
        ("title: [", ["not valid YAML", "line 1"]),
        ("- a\n- b", ["must be a mapping"]),
        ("title: t\ncomponents:\n  - {module: attn, title: A, points: 1}", ["components.0.module", "unknown module 'attn'"]),
        ("title: t\ncomponents:\n  - {module: mask, title: A, points: -1}", ["components.0.points", "greater than 0"]),
        ("title: t\ncomponents:\n  - {module: mask, title: A, points: 1}\nlimitz: {}", ["limitz", "unknown key"]),
        ("components:\n  - {module: mask, title: A, points: 1}", ["title", "missing"]),
        ("title: t\ncomponents:\n  - {module: mask, title: A, points: 1}\n  - {module: mask, title: B, points: 1}", ["listed twice"]),
        ("title: t\ncomponents:\n  - {module: mask, title: A, points: 1}\nvisibility: {hidden: everything}", ["visibility.hidden"]),
    ],
)
def test_malformed_course_names_the_key(text, words):
    with pytest.raises(KitError) as e:
        parse_course(text)
    for w in words:
        assert w in str(e.value)


def test_missing_course_file(tmp_path):
    with pytest.raises(KitError, match="not found"):
        load_course(tmp_path / "course.yml")


def test_cli_reports_a_bad_course_without_traceback(tmp_path):
    (tmp_path / "course.yml").write_text("title: t\ncomponents: 3\n")
    r = subprocess.run([sys.executable, "-m", "autograder", "--course-root", str(tmp_path), "grade", str(tmp_path), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "components" in r.stderr and "Traceback" not in r.stderr
