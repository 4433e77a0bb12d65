"""The system packages: one list (bin/system-packages.txt) that `make setup`, CI and the README all follow,
and bin/check-system, which installs what is missing as root and otherwise prints the one command to run.

The script is run for real (bash); only the Debian tools it asks (dpkg-query, id, apt-get) are small
stand-ins on PATH, so each case (all there, one missing, as root or not) can be set up on any machine."""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bin" / "check-system"


def _list(group: str = "") -> list[str]:
    out = subprocess.run(["bash", str(SCRIPT), "--list", *([group] if group else [])], capture_output=True,
                         text=True, check=True).stdout
    return out.split()


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("### System packages", 1)[1].split("\n## ", 1)[0]


def test_the_list_holds_what_weasyprint_the_fonts_and_the_browser_tests_need():
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-core"} <= set(_list("pdf"))
    assert set(_list("browser")) == {"chromium", "libatomic1"}
    assert set(_list("ci")) == {"postgresql", "redis-server"}
    assert "poppler-utils" not in _list()  # the tests read PDFs with pypdf


def test_readme_lists_every_system_package_and_its_command_installs_all_but_cis():
    section = _readme_section()
    table = [line for line in section.splitlines() if line.startswith("| `")]
    in_table = [name for line in table for name in re.findall(r"`([^`]+)`", line.split("|")[1])]
    assert sorted(in_table) == sorted(_list())
    command = re.search(r"sudo apt-get install --no-install-recommends ([^`]+?)\n```", section).group(1)
    assert command.replace("\\", " ").split() == [p for p in _list() if p not in _list("ci")]


def test_ci_and_make_setup_read_the_same_list():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bin/check-system --ci" in ci
    assert "apt-get install" not in ci and "poppler" not in ci  # no list of its own
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^\$\(STAMP\):.*\| system$", makefile, re.M)
    assert re.search(r"^system:\n\t@PYTHON=\"\$\(PYTHON\)\" bash bin/check-system$", makefile, re.M)


def test_no_test_bench_or_code_names_a_poppler_program_to_run():
    """(tests/registers/test_pdf.py also runs its PDF tests with nothing on PATH.)"""
    tracked = subprocess.run(["git", "ls-files", "*.py", "*.sh", "Makefile", ".ci/*", "bin/*"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    program = re.compile(r"""["'](pdftotext|pdfinfo|pdffonts|pdftoppm)["' ]|^\s*(pdftotext|pdfinfo|pdffonts)\s""", re.M)
    offenders = [path for path in tracked if (ROOT / path).is_file()
                 and program.search((ROOT / path).read_text(errors="replace"))]
    assert offenders == []


# --- bin/check-system, with stand-ins for the Debian tools -----------------------------------------------


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def machine(tmp_path):
    """run(missing=[...], uid=N): bin/check-system on a machine where those packages are not installed."""
    tools = tmp_path / "tools"
    tools.mkdir()
    apt_log = tmp_path / "apt.log"
    # dpkg-query -W -f=FORMAT PKG...: "PKG ii" for each installed package, nothing for the others.
    _tool(tools, "dpkg-query", 'shift 2\nfor p in "$@"; do case " $MISSING " in *" $p "*) ;; '
                               '*) echo "$p ii";; esac; done\n')
    _tool(tools, "id", 'echo "$FAKE_UID"\n')
    _tool(tools, "apt-get", f'echo "$@" >> "{apt_log}"\n')

    def run(*args: str, missing: list[str] = (), uid: int = 1000, python: str = sys.executable):
        env = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}", "MISSING": " ".join(missing),
               "FAKE_UID": str(uid), "PYTHON": python}
        result = subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=30)
        result.apt = apt_log.read_text().splitlines() if apt_log.exists() else []
        return result

    return run


def test_all_present_is_silent_and_installs_nothing(machine):
    result = machine()
    assert (result.returncode, result.stdout, result.apt) == (0, "", [])


def test_missing_pdf_library_as_a_user_prints_the_one_command_and_stops(machine):
    result = machine(missing=["libharfbuzz-subset0", "chromium"])
    assert result.returncode == 1
    assert "sudo apt-get install --no-install-recommends libharfbuzz-subset0 chromium" in result.stdout
    assert result.apt == []


def test_missing_browser_only_is_a_note_not_a_failure(machine):
    result = machine(missing=["chromium"])
    assert result.returncode == 0
    assert "sudo apt-get install --no-install-recommends chromium" in result.stdout
    assert "browser tests" in result.stdout and "skipped" in result.stdout


def test_as_root_it_installs_what_is_missing_with_apt(machine):
    result = machine(missing=["fonts-noto-core", "libatomic1"], uid=0)
    assert result.returncode == 0, result.stderr
    assert result.apt == ["update -qq", "install -y -qq --no-install-recommends fonts-noto-core libatomic1"]


def test_ci_requires_the_whole_list_postgresql_redis_and_the_browser_too(machine):
    assert machine("--ci").returncode == 0
    result = machine("--ci", missing=["postgresql", "chromium"])
    assert result.returncode == 1
    assert "sudo apt-get install --no-install-recommends chromium postgresql" in result.stdout
    assert machine(missing=["postgresql"]).returncode == 0  # make setup does not need PostgreSQL


def test_python3_venv_is_only_needed_where_python_cannot_make_a_venv(machine, tmp_path):
    assert machine(missing=["python3-venv"]).returncode == 0  # this Python has ensurepip
    no_ensurepip = tmp_path / "python-without-ensurepip"
    _tool(tmp_path, no_ensurepip.name, "exit 1\n")  # Debian's python3 without python3-venv
    result = machine(missing=["python3-venv"], python=str(no_ensurepip))
    assert result.returncode == 1 and "python3-venv" in result.stdout
