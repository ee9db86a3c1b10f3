"""What a reader sees of a response: the parsed page and the words of an element."""

from bs4 import BeautifulSoup


def page_html(response) -> BeautifulSoup:
    """The page as a reader's browser parses it."""
    return BeautifulSoup(response.content.decode(), "html.parser")


def visible_text(element) -> str:
    """What a reader sees of an element: its words, spaces collapsed."""
    return " ".join(element.get_text(" ").split())
