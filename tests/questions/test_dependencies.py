import pytest

from dragoman.publishing.dependencies import page_dependencies
from dragoman.questions import dependencies

from .conftest import session_make

pytestmark = pytest.mark.django_db


def test_session_page_and_its_translation_depend_on_the_session(session):
    translation = session_make(
        parent=session.get_parent().specific,
        title="Questions à l'ambassadeur",
        language="fr",
        translation_of=session,
    )

    assert page_dependencies(session) == [str(dependencies.session(session.pk))]
    assert str(dependencies.session(session.pk)) in page_dependencies(translation)
