from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from closeknit.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch) -> Callable[..., Run]:
    """Run `closeknit ARGS…` in this process, against the test database.

    `stdin` is what the command reads from standard input (as text, or bytes).
    """

    def run(*args: str, stdin: str | bytes = "") -> Run:
        raw = stdin.encode() if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
        capsys.readouterr()
        # `closeknit` sets Django up again, which points logging at this test's captured
        # stderr; the handlers go back after, so later log lines never meet a closed stream.
        handlers, level = logging.root.handlers[:], logging.root.level
        try:
            code = main(list(args))
        finally:
            logging.root.handlers[:] = handlers
            logging.root.setLevel(level)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
