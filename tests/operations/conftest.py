from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.operations.sites import site_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A small site (8 entries, an editor) built once; tests work on copies (`site_copy`)."""
    folder = tmp_path_factory.mktemp("operations-site") / "site"
    site_build(folder)
    yield folder
