"""Every module that holds a layer of an app (models, services, queries, views) has its test
module at the mirrored path: `dragoman/channels/queries.py` is proved by
`tests/channels/test_queries.py`, so that a reader finds the tests of a function where they
look first, and a new module without tests fails here rather than in review."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("models", "services", "queries", "views")


def layer_modules() -> list[Path]:
    return sorted(
        module for layer in LAYERS for module in (ROOT / "dragoman").glob(f"*/{layer}.py")
    )


def mirrored_test(module: Path) -> Path:
    app = module.parent.name
    return ROOT / "tests" / app / f"test_{module.stem}.py"


def test_the_layers_of_every_app_are_found():
    # A glob gone wrong (a moved package) would make the test below pass on nothing.
    found = {str(module.relative_to(ROOT)) for module in layer_modules()}

    assert {"dragoman/blogs/models.py", "dragoman/channels/queries.py"} <= found


@pytest.mark.parametrize(
    "module", layer_modules(), ids=lambda module: str(module.relative_to(ROOT))
)
def test_each_layer_module_has_its_mirrored_test_module(module):
    expected = mirrored_test(module)

    assert expected.is_file(), (
        f"{module.relative_to(ROOT)} has no tests at {expected.relative_to(ROOT)}"
    )


def test_a_test_package_is_importable_wherever_a_mirrored_module_lives():
    # Without __init__.py two test_models.py in different folders clash in pytest's import.
    folders = {mirrored_test(module).parent for module in layer_modules()}

    missing = [
        str(folder.relative_to(ROOT))
        for folder in folders
        if not (folder / "__init__.py").is_file()
    ]

    assert missing == []
