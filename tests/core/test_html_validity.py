import pytest

from tests.validators import nu_html_errors

CHECKED_PAGES = [
    "home",
    "blog",
    "entry",
    "right-to-left entry",
    "tag",
    "profile",
    "blog tag",
    "tags",
    "bloggers",
    "archive",
    "archive year",
    "archive month",
    "blogs",
    "mission",
    "home in Arabic",
    "campaign",
    "campaign country",
    "not found",
    "server error",
]
STATUS = {"not found": 404, "server error": 500}


@pytest.fixture(scope="module")
def nu_checker_errors(demo_site, tmp_path_factory) -> dict[str, list[str]]:
    """Errors of the Nu HTML Checker on each demo page, by page name (one Java run for all)."""
    folder = tmp_path_factory.mktemp("nu-html-checker")
    return nu_html_errors({name: demo_site[name].html for name in CHECKED_PAGES}, folder)


@pytest.mark.django_db
@pytest.mark.parametrize("name", CHECKED_PAGES)
def test_demo_page_has_no_error_in_the_nu_html_checker(nu_checker_errors, demo_site, name):
    assert demo_site[name].status == STATUS.get(name, 200)

    assert nu_checker_errors[name] == []
