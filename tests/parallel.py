"""How pytest-xdist shares the tests out among its workers (`make test` runs it with -n).

Loaded as a pytest plugin (see `addopts` in pyproject.toml). With `-n N` (xdist's default
`--dist load`) each worker is handed whole modules, in pytest-django's order:

- Whole modules, so a module-scoped fixture (the demo network of tests/blogs/test_pages.py,
  the rendered pages of tests/languages/test_interface_translations.py, a TestCase's
  setUpTestData) is built once, by one worker, as in a run without -n. Handed out one test at
  a time, the tests of one module would be spread across workers, and each worker would build
  it again every time it came back to the module.
- In pytest-django's order: it runs the plain database tests first, then the transactional
  ones (live_server, transactional_db), since a transactional test leaves the database empty
  until the next transactional one restores it. A module holding both kinds is cut where that
  order cuts it: its plain tests are handed out among the plain tests and its transactional
  ones among the transactional, so no worker ever runs a plain test on an emptied database.

Modules that share a session-scoped fixture can be handed out together (RUN_WITH below).
Another `--dist` given on the command line is left to xdist.
"""

from typing import Any

import pytest

# Modules handed out with another one, as one unit, since they share a session-scoped fixture
# that takes seconds to build: the demo_site of tests/core/conftest.py. Both hold tests of the
# same kind (plain database tests), so their first runs are the same kind too.
RUN_WITH = {"tests/core/test_page_weight.py": "tests/core/test_html_validity.py"}


def scopes_by_nodeid(collection: list[str]) -> dict[str, str]:
    """Each test's unit of work: its module, and which of the module's runs in `collection`.

    pytest-django sorts the collection by kind of test, so one module's tests may stand in up
    to three separate runs (plain, transactional, no database); each run is its own unit.
    """
    scopes = {}
    runs_seen: dict[str, int] = {}
    previous_module = None
    for nodeid in collection:
        module = nodeid.split("::", 1)[0]
        if module != previous_module:
            runs_seen[module] = runs_seen.get(module, 0) + 1
            previous_module = module
        scopes[nodeid] = f"{RUN_WITH.get(module, module)} (run {runs_seen[module]})"
    return scopes


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleRunScheduling(LoadScopeScheduling):
        """xdist's loadscope with the units above, handed out in collection order."""

        def schedule(self) -> None:
            if self.collection is None and self.collection_is_completed:
                first_collection = next(iter(self.registered_collections.values()))
                self.scopes = scopes_by_nodeid(list(first_collection))
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            return self.scopes[nodeid]

    # Never largest unit first (xdist's default for loadscope): that would put transactional
    # tests before plain ones.
    config.option.loadscopereorder = False
    return ModuleRunScheduling(config, log)
