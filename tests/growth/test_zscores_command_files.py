"""`manage.py zscores IN OUT` with files it cannot use: a clear message and a non-zero exit, never a traceback, and
never the input overwritten."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER = "sex,age_days,weight_kg,lenhei_cm,measure,oedema,muac_cm\n"
ROW = "1,923,18.31,103.1,l,n,\n"


def run(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "poshan.settings.test"}
    return subprocess.run([sys.executable, "manage.py", "zscores", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_input_that_is_not_utf8_is_a_clear_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes((HEADER + "1,923,18.31,103.1,l,n,\n").encode() + "2,100,5,60,l,n,Sîtà\n".encode("latin-1"))
    result = run(source, tmp_path / "out.csv")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "UTF-8" in result.stderr and "line 3" in result.stderr


def test_an_unwritable_output_is_a_clear_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + ROW)
    result = run(source, tmp_path / "no-such-folder" / "out.csv")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "cannot write" in result.stderr


@pytest.mark.parametrize("same", ["itself", "another spelling"])
def test_output_equal_to_input_is_refused_and_the_input_kept(same, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(HEADER + ROW)
    out = source if same == "itself" else tmp_path / "." / "in.csv"
    result = run(source, out)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "same file" in result.stderr
    assert source.read_text() == HEADER + ROW
