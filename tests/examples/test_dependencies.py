"""The examples' frameworks stay the examples' business: the library never needs them."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

FRAMEWORKS = {"fastapi", "starlette", "pydantic", "httpx", "httpx2", "opentelemetry", "anyio"}
ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_library_and_its_mock_loads_no_example_framework() -> None:
    code = (
        "import json, sys\n"
        "import zenoti_async, zenoti_async.testing, zenoti_async.cli\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(out.stdout))
    assert not loaded & FRAMEWORKS


def test_the_frameworks_are_only_in_the_examples_dependency_group() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = " ".join(project["project"]["dependencies"]).lower()
    assert not [f for f in FRAMEWORKS if f in runtime]
    assert "optional-dependencies" not in project["project"]
    examples = " ".join(project["dependency-groups"]["examples"]).lower()
    assert "fastapi" in examples and "opentelemetry-sdk" in examples
