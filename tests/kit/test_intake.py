import os

from autograder.intake import read_submission

MODS = ["attention", "mask"]


def test_intake_accepts_only_the_modules(tmp_path):
    (tmp_path / "attention.py").write_text("x = 1\n")
    (tmp_path / "helper.py").write_text("y = 2\n")
    (tmp_path / "notes.txt").write_text("hi")
    it = read_submission(tmp_path, MODS, 1024)
    assert set(it.files) == {"attention.py"}
    assert "helper.py" in it.ignored and "notes.txt" in it.ignored
    assert "mask.py is missing" in it.missing["mask"]


def test_intake_refuses_links_big_files_and_non_utf8(tmp_path):
    secret = tmp_path / "secret.py"
    secret.write_text("the reference\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    os.symlink(secret, sub / "attention.py")
    (sub / "mask.py").write_bytes(b"x = '\xff\xfe'\n")
    it = read_submission(sub, MODS, 1024)
    assert it.files == {}
    assert "link" in it.rejected["attention.py"] and "UTF-8" in it.rejected["mask.py"]
    assert "not accepted" in it.missing["attention"]
    (sub / "attention.py").unlink()
    (sub / "attention.py").write_text("#" * 5000)
    it = read_submission(sub, MODS, 1024)
    assert "too large" in it.rejected["attention.py"]


def test_intake_of_a_missing_folder(tmp_path):
    it = read_submission(tmp_path / "nope", MODS, 1024)
    assert set(it.missing) == set(MODS) and it.files == {}
