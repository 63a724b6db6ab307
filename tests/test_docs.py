"""The README documents every setting and every search parameter, and its commands and examples run."""

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import traceback
import urllib.parse
from contextlib import closing
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from searchapp.archive import Archive
from searchapp.cli import main
from searchapp.names.registry import Registry
from searchapp.search.params import FILTER_PARAMS
from searchapp.settings import SETTINGS, load

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DEMO = Path(str(resources.files("searchapp") / "demo"))


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_with_its_help(setting):
    assert f"`SEARCHAPP_{setting.name}`" in README
    assert setting.help in README


@pytest.mark.parametrize("param", [*FILTER_PARAMS, "q", "from", "to", "sort", "page", "expand", "more"])
def test_every_search_parameter_is_documented(param):
    assert f"`{param}`" in README


def test_settings_come_from_the_environment_then_overrides():
    config = load({"PER_PAGE": 5}, environ={"SEARCHAPP_PER_PAGE": "20", "SEARCHAPP_DB": "/tmp/x.db"})
    assert config["PER_PAGE"] == 5 and config["DB"] == "/tmp/x.db"
    assert load(environ={"SEARCHAPP_PER_PAGE": "20"})["PER_PAGE"] == 20


# The README is true: every command and example it shows runs here ---------------------------------------------
#
# Each ```sh block runs as a reader would type it, line by line, against a store and index of its own holding
# the demo corpus (the "Command line" block starts empty and imports it): `searchapp ...` through the CLI,
# `curl ...` through Flask's test client (a new client per line, as curl keeps no cookies), `NAME=value`
# and `NAME=$(command)` as shell variables. Lines that start servers or long runs are listed in NOT_RUN with
# the reason and the check made instead; a line the test cannot read fails, naming its README line.

README_LINES = README.splitlines()
SERVER = "http://127.0.0.1:8000"
CLI = ("searchapp", ".venv/bin/searchapp")
# README text (its command, comment left out) -> why it is not run (test_what_is_not_run_is_checked checks it).
NOT_RUN = {
    "make run": "builds the virtualenv and serves until stopped: the Makefile has the target",
    "make test": "the whole test suite (this test is part of it): the Makefile has the target",
    "make cluster": "serves until stopped: the Makefile has the target, and tests/test_cluster.py runs two "
                    "nodes and nginx on PostgreSQL as it does",
    "searchapp serve": "serves until stopped: `searchapp --help` lists it",
    "searchapp demo [--fresh]": "imports and serves until stopped: `searchapp --help` lists it, with --fresh",
    "searchapp user add": "names the command that the Archivists and API blocks run in full: it exists",
    "gunicorn -c python:searchapp.gunicorn_conf 'searchapp:create_app()'":
        "serves until stopped: `gunicorn --check-config` loads its configuration and app (and `gunicorn wsgi:app`'s)",
    "python bench/bench_search.py --corpus ../shared/corpus":
        "a benchmark of minutes on the shared corpus: without a corpus it stops with a message naming --corpus",
}
# README text -> what a real archive has and the demo lacks, set up before the line runs.
PRECONDITIONS = {
    "searchapp alias merge person:kliczko person:vitali-klitschko":
        ("an automatic person 'Kliczko', as extraction adds them", {"person:kliczko": "Kliczko"}),
    "searchapp alias delete person:dear-ladies":
        ("a wrong automatic person 'Dear Ladies'", {"person:dear-ladies": "Dear Ladies"}),
    "searchapp trash restore ID": ("a deleted document, demo:en-004, for ID", "demo:en-004"),
}


class ReadmeLine(NamedTuple):
    number: int  # of its first line in README.md
    text: str  # continuation lines joined, comment kept

    @property
    def command(self) -> str:
        """The line without its comment (a # after a space, outside quotes)."""
        out, quote = [], ""
        for i, ch in enumerate(self.text):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "#" and (i == 0 or self.text[i - 1].isspace()):
                break
            out.append(ch)
        return "".join(out).strip()

    def where(self) -> str:
        return f"README.md line {self.number}: `{self.text}`"


def _sh_blocks() -> list[tuple[str, list[ReadmeLine]]]:
    """The ```sh blocks of the README: (the heading above it, which names the test, its lines)."""
    blocks, heading, lines, inside = [], "", None, False
    for number, raw in enumerate(README_LINES, 1):
        if raw.startswith("#") and not inside:
            heading = raw.lstrip("#").strip()
        if raw.startswith("```"):
            if inside:
                if lines is not None:
                    blocks.append((heading, lines))
                inside, lines = False, None
            else:
                inside, lines = True, ([] if raw.strip() == "```sh" else None)
            continue
        if lines is None or not raw.strip():
            continue
        if lines and lines[-1].text.endswith("\\"):
            lines[-1] = lines[-1]._replace(text=lines[-1].text[:-1].rstrip() + " " + raw.strip())
        else:
            lines.append(ReadmeLine(number, raw.strip()))
    return blocks


def _inline_commands() -> list[ReadmeLine]:
    """Commands the prose shows in `code spans` (outside the fenced blocks)."""
    found, inside = [], False
    for number, raw in enumerate(README_LINES, 1):
        if raw.startswith("```"):
            inside = not inside
        elif not inside:
            found += [ReadmeLine(number, span) for span in re.findall(r"`([^`]+)`", raw)
                      if span.split()[0] in {*CLI, "curl", "make", "python", "gunicorn"}]
    return found


SH_BLOCKS = _sh_blocks()
INLINE = _inline_commands()


class ReadmeShell:
    """Runs README lines: the CLI in process with the block's store and index, curl through the test client."""

    def __init__(self, paths: dict[str, str], make_app, demo: Path):
        self.paths, self.make_app, self.demo = paths, make_app, demo
        self.variables: dict[str, str] = {}
        self.app = None

    def run(self, line: ReadmeLine) -> None:
        command = line.command
        if command in NOT_RUN:
            return
        if command in PRECONDITIONS:
            self.given(PRECONDITIONS[command][1])
        if assignment := re.fullmatch(r"(\w+)=\$\((.+)\)", command):  # NAME=$(command)
            words = self.words(line, assignment.group(2))
            assert words[0] in CLI, f"{line.where()}: only $(searchapp ...) is understood"
            result = self.cli(line, words[1:])
            self.variables[assignment.group(1)] = result.stdout.strip()
            assert self.variables[assignment.group(1)], f"{line.where()}: printed nothing"
            return
        words = self.words(line, command)
        env = {}
        while words and re.fullmatch(r"\w+=.*", words[0]):
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        if not words:  # NAME=value
            self.variables.update(env)
            return
        pipeline = [[]]
        for word in words:
            pipeline.append([]) if word == "|" else pipeline[-1].append(word)
        first, filters = pipeline[0], pipeline[1:]
        if first[0] in CLI:
            output = self.cli(line, first[1:], env).output
        elif first[0] == "curl" and not env:
            output = self.curl(line, first[1:])
        else:
            pytest.fail(f"{line.where()}: the test does not know how to run this; run it or list it in NOT_RUN")
        for words in filters:
            assert words[0] == "grep" and len(words) == 2, f"{line.where()}: only `| grep WORD` is understood"
            assert any(words[1] in out for out in output.splitlines()), f"{line.where()}: no '{words[1]}' in {output}"

    def words(self, line: ReadmeLine, command: str) -> list[str]:
        def expand(match: re.Match) -> str:
            name = match.group(1) or match.group(2)
            assert name in self.variables, f"{line.where()}: ${name} is not set by an earlier line"
            return self.variables[name]

        command = re.sub(r"\$(?:\{(\w+)\}|(\w+))", expand, command)
        lexer = shlex.shlex(command, posix=True, punctuation_chars="|")
        lexer.whitespace_split = True
        return list(lexer)

    def given(self, precondition) -> None:
        if isinstance(precondition, dict):  # automatic people
            registry = Registry(self.paths["DB"])
            assert registry.add_extracted(precondition) == len(precondition)
            registry.close()
        else:  # a document in the trash
            archive = Archive.from_config(load(self.paths))
            assert archive.delete(precondition, "tester")
            archive.close()
            self.variables["ID"] = precondition

    def cli(self, line: ReadmeLine, args: list[str], env: dict[str, str] | None = None):
        placeholders = {"PATH...": str(self.demo), "ID": self.variables.get("ID", "ID")}
        args = [placeholders.get(a, a) for a in args]
        env = {**(env or {}), "SEARCHAPP_DB": self.paths["DB"], "SEARCHAPP_INDEX_DIR": self.paths["INDEX_DIR"]}
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 0, f"{line.where()}: exit status {result.exit_code}\n{result.output}" + (
            "".join(traceback.format_exception(result.exception)) if result.exception else "")
        return result

    def curl(self, line: ReadmeLine, args: list[str]) -> str:
        method, headers, body, url = None, {}, None, None
        words = iter(args)
        for word in words:
            if word in ("-s", "--silent"):
                continue
            elif word in ("-H", "--header"):
                name, value = next(words).split(":", 1)
                headers[name.strip()] = value.strip()
            elif word in ("-d", "--data"):
                body = next(words)
                headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            elif word in ("-X", "--request"):
                method = next(words)
            elif word.startswith(SERVER + "/") and url is None:
                url = urllib.parse.urlsplit(word)
            else:
                pytest.fail(f"{line.where()}: curl's '{word}' is not understood by this test")
        assert url is not None, f"{line.where()}: no {SERVER} URL"
        if self.app is None:
            self.app = self.make_app(self.paths)
        response = self.app.test_client().open(
            url.path, query_string=url.query, method=method or ("POST" if body is not None else "GET"),
            headers=headers, data=body.encode() if body is not None else None)
        text = response.get_data(as_text=True)
        assert 200 <= response.status_code < 300, f"{line.where()}: {response.status_code} {text[:500]}"
        assert response.is_json and response.get_json() is not None, f"{line.where()}: not JSON: {text[:500]}"
        return text


def _copy_store(source: dict[str, str], root: Path) -> dict[str, str]:
    """A copy of a store (SQLite's backup, so the WAL's contents come along) and its index."""
    root.mkdir()
    paths = {"DB": str(root / "store.db"), "INDEX_DIR": str(root / "index")}
    with closing(sqlite3.connect(source["DB"])) as src, closing(sqlite3.connect(paths["DB"])) as dst:
        src.backup(dst)
    shutil.copytree(source["INDEX_DIR"], paths["INDEX_DIR"])
    return paths


def test_the_readme_lines_are_read():
    assert len(SH_BLOCKS) >= 6 and sum(len(lines) for _, lines in SH_BLOCKS) >= 25
    texts = [line.command for _, lines in SH_BLOCKS for line in lines] + [line.command for line in INLINE]
    assert "searchapp import PATH..." in texts and "H=\"Authorization: Bearer $TOKEN\"" in texts
    assert any(t.startswith("curl -s -H \"$H\" -H 'Content-Type: application/json' -d") for t in texts)
    stale = [text for text in [*NOT_RUN, *PRECONDITIONS] if text not in texts]
    assert not stale, f"listed in the test but no longer in the README: {stale}"


RUN_BLOCKS = {heading: lines for heading, lines in SH_BLOCKS if any(line.command not in NOT_RUN for line in lines)}


@pytest.mark.parametrize("heading", RUN_BLOCKS)
def test_every_readme_sh_block_runs(heading, demo_paths, fresh, make_app, tmp_path, request):
    """Lines run in order (later lines use what earlier ones made), each must succeed."""
    lines = RUN_BLOCKS[heading]
    if any(line.command.startswith(("searchapp import", ".venv/bin/searchapp import")) for line in lines):
        shell = ReadmeShell(fresh, make_app, DEMO)  # the block that imports starts empty
    elif all(re.fullmatch(r"curl '[^']+'", line.command) for line in lines):  # GETs only: the session's app
        shell = ReadmeShell(demo_paths, make_app, DEMO)
        shell.app = request.getfixturevalue("app")
    else:
        shell = ReadmeShell(_copy_store(demo_paths, tmp_path / "store"), make_app, DEMO)
    for line in lines:
        shell.run(line)


def test_the_commands_shown_in_the_prose_run(demo_paths, make_app, tmp_path):
    shell = ReadmeShell(_copy_store(demo_paths, tmp_path / "store"), make_app, DEMO)
    for line in INLINE:
        if line.command.split()[0] in CLI:
            shell.run(line)


def test_what_is_not_run_is_checked(demo_paths, tmp_path):
    """The make targets the README names exist; the servers' commands and options exist and load."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, flags=re.M))
    lines = [line for _, block in SH_BLOCKS for line in block] + INLINE
    for line in lines:
        if line.command.startswith("make "):
            assert line.command.split()[1] in targets, f"{line.where()}: no such make target"
    for line in lines:
        words = line.command.replace("[", "").replace("]", "").split()
        if line.command in NOT_RUN and words[0] in CLI:
            command = [w for w in words[1:] if not w.startswith("-")]
            result = CliRunner().invoke(main, [*command, "--help"])
            assert result.exit_code == 0, f"{line.where()}: {result.output}"
            for option in (w for w in words[1:] if w.startswith("--")):
                assert option in result.output, f"{line.where()}: {' '.join(command)} has no {option}"
    paths = _copy_store(demo_paths, tmp_path / "store")  # seeded: the app starts at once
    env = {**os.environ, "SEARCHAPP_DB": paths["DB"], "SEARCHAPP_INDEX_DIR": paths["INDEX_DIR"]}
    gunicorn = next(line for line in lines if line.command.startswith("gunicorn "))
    forms = [gunicorn.command] + ([gunicorn.text.split("# or:")[1]] if "# or:" in gunicorn.text else [])
    for args in (shlex.split(form)[1:] for form in forms):
        done = subprocess.run([sys.executable, "-m", "gunicorn", "--check-config", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{gunicorn.where()}: gunicorn {' '.join(args)}: {done.stderr[-2000:]}"
    bench = next(line for line in lines if line.command.startswith("python bench/bench_search.py"))
    args = [a if a != "../shared/corpus" else str(tmp_path / "no-corpus") for a in shlex.split(bench.command)[1:]]
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "--corpus" in done.stderr and "Traceback" not in done.stderr, \
        f"{bench.where()}: without a corpus: {done.stderr[-2000:]}"
