"""Settings come from the environment; a bad value is one line that names the variable."""

import os
import subprocess
import sys

import pytest


def run_ask(tmp_path, **env):
    environment = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", "ask", "sales says our leads are garbage"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("COACH_TOP_K", "abc", "COACH_TOP_K='abc': Input should be a valid integer"),
        ("COACH_TOP_K", "0", "COACH_TOP_K='0': Input should be greater than or equal to 1"),
        ("COACH_LEXICAL_WEIGHT", "2", "COACH_LEXICAL_WEIGHT='2': Input should be less than"),
        ("COACH_CHROMA_PORT", "99999", "COACH_CHROMA_PORT='99999'"),
        ("COACH_KNOWLEDGE_DIRS", "[bad", "COACH_KNOWLEDGE_DIRS='[bad'"),
        ("COACH_COLLECTION", "bad name!!", "COACH_COLLECTION='bad name!!'"),
        ("COACH_BACKEND", "nope", "Unknown backend 'nope'"),
        ("COACH_EMBEDDER", "nope", "Unknown embedder 'nope'"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path, variable, value, message):
    result = run_ask(tmp_path, **{variable: value})
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "data" / "index").exists()  # nothing was built on a typo


def test_a_data_dir_that_is_a_file_is_refused(tmp_path):
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    result = run_ask(tmp_path, COACH_DATA_DIR=str(afile))
    assert result.returncode == 1 and "is a file, not a folder" in result.stderr
    assert afile.read_text() == "x"
