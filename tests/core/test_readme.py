import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# Variables read with django-environ (`env.str("NAME", ...)`) or os.environ in our own code.
VARIABLE = re.compile(r'\b(?:env(?:\.\w+)?|os\.environ\.get|os\.getenv)\(\s*"([A-Z][A-Z0-9_]+)"')


def variables_read_by_dragoman() -> set[str]:
    names = set()
    for module in (ROOT / "dragoman").rglob("*.py"):
        names.update(VARIABLE.findall(module.read_text(encoding="utf-8")))
    names.discard("DJANGO_SETTINGS_MODULE")
    return names


def test_readme_documents_every_configuration_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    undocumented = {name for name in variables_read_by_dragoman() if f"`{name}`" not in readme}

    assert undocumented == set()


def test_readme_gives_the_two_commands_and_how_to_create_an_administrator():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "make demo" in readme
    assert "make test" in readme
    assert ".venv/bin/dragoman createsuperuser" in readme
