"""`make test-backends` runs the modules listed in the Makefile's BACKEND_TESTS on the Oxigraph
server and on Virtuoso: a module with tests marked for those backends only must be listed, or
they would never run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def backend_modules() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^BACKEND_TESTS\s*=((?:.*\\\n)*.*)$", makefile, re.MULTILINE)
    assert listed, "the Makefile has no BACKEND_TESTS list"
    return set(listed.group(1).replace("\\\n", " ").split())


def test_every_module_with_remote_only_tests_runs_on_the_remote_backends():
    marked = {f"tests/{path.name}" for path in (ROOT / "tests").glob("test_*.py")
              if re.search(r"mark\.backends\(\s*\"(oxigraph|virtuoso)\"", path.read_text(encoding="utf-8"))}
    assert marked, "no module marks tests for a remote backend: has the marker been renamed?"
    assert marked <= backend_modules(), f"add to BACKEND_TESTS in the Makefile: {sorted(marked - backend_modules())}"
