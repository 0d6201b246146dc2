"""The paging layers import only downwards: the cursor nothing async, the paginator, the pull
and the resources never the client (which imports them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zenoti_async

PACKAGE = Path(zenoti_async.__file__).parent


def imported_modules(relative: str) -> set[str]:
    tree = ast.parse((PACKAGE / relative).read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_cursor_imports_nothing_async() -> None:
    imported = imported_modules("_sansio/paging.py")
    assert not {"asyncio", "aiohttp", "zenoti_async._client", "zenoti_async._transport"} & imported


@pytest.mark.parametrize("module", ["_paginator.py", "_pull.py", "_resources/classes.py"])
def test_paging_modules_never_import_the_client(module: str) -> None:
    imported = imported_modules(module)
    assert "zenoti_async._client" not in imported
    assert "aiohttp" not in imported


def test_the_paginator_does_not_import_the_pull_or_the_resources() -> None:
    imported = imported_modules("_paginator.py")
    assert not {"zenoti_async._pull", "zenoti_async._resources.classes"} & imported
