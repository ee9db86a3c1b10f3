"""A prepared query gives what the ORM gives for the same queryset, in one query each call."""

import pytest
from django.db.models.functions import Lower

from dragoman.blogs.models import EntryAuthor, EntryPage
from dragoman.core.prepared import Contains, PreparedQuery
from tests.factories import BlogFactory, BloggerFactory, EntryFactory

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_an_inherited_page_model_reads_as_the_orm_reads_it_whatever_the_value():
    # EntryPage's columns come from two tables, and its date goes through a converter.
    first, second = EntryFactory(title="First"), EntryFactory(title="Second")
    at_address = PreparedQuery(
        lambda url_path: EntryPage.objects.filter(url_path=url_path), url_path=str
    )

    for entry in (first, second):
        [found] = at_address(url_path=entry.url_path)
        expected = EntryPage.objects.get(pk=entry.pk)
        assert type(found) is EntryPage
        assert field_values(found) == field_values(expected)
        assert found._state.adding is False
    assert at_address(url_path="/nowhere/") == []


def test_related_objects_and_annotations_arrive_in_the_one_query(django_assert_num_queries):
    blog = BlogFactory(bloggers=[BloggerFactory(display_name="Ama"), BloggerFactory()])
    entry = EntryFactory(blog=blog, authors=list(blog.bloggers.all()))
    credits = PreparedQuery(
        lambda entry_id: (
            EntryAuthor.objects.filter(entry_id=entry_id)
            .select_related("blogger__mission")
            .annotate(shouted=Lower("blogger__display_name"))
            .order_by("sort_order")
        ),
        entry_id=int,
    )
    credits(entry_id=entry.pk)  # compiled once; each later call is one query

    with django_assert_num_queries(1):
        found = credits(entry_id=entry.pk)
        names = [(c.blogger.display_name, c.blogger.mission.name, c.shouted) for c in found]

    expected = EntryAuthor.objects.filter(entry=entry).select_related("blogger__mission")
    assert names == [
        (c.blogger.display_name, c.blogger.mission.name, c.blogger.display_name.lower())
        for c in expected.order_by("sort_order")
    ]
    assert names[0][0] == "Ama"


def test_an_argument_may_appear_several_times_and_in_an_in_lookup():
    entry, other = EntryFactory(), EntryFactory()
    either = PreparedQuery(
        lambda entry_id: EntryPage.objects.filter(pk__in=[entry_id]).exclude(pk__gt=entry_id),
        entry_id=int,
    )

    assert [found.pk for found in either(entry_id=entry.pk)] == [entry.pk]
    assert [found.pk for found in either(entry_id=other.pk)] == [other.pk]


def test_an_argument_the_orm_rewrites_is_refused_when_compiled():
    starting = PreparedQuery(
        lambda prefix: EntryPage.objects.filter(title__startswith=prefix), prefix=str
    )

    with pytest.raises(ValueError, match="prefix do not reach the statement unchanged"):
        starting(prefix="Fir")


def test_a_contained_text_is_looked_for_as_the_orm_looks_for_it():
    for title in ("Visas at 50% off", "Visas at 500 off", "Tax_free shops", "Taxifree shops"):
        EntryFactory(title=title)
    containing = PreparedQuery(
        lambda text: EntryPage.objects.filter(title__icontains=text).order_by("title"),
        text=Contains,
    )

    for text in ("50%", "50", "x_f", "tax_", "VISAS", "nowhere"):
        expected = EntryPage.objects.filter(title__icontains=text).order_by("title")
        assert [entry.title for entry in containing(text=text)] == [e.title for e in expected]
    # Its own % and _ are escaped, as the ORM escapes them: never wildcards.
    assert [entry.title for entry in containing(text="50%")] == ["Visas at 50% off"]
    assert [entry.title for entry in containing(text="x_f")] == ["Tax_free shops"]


def test_only_model_instances_without_prefetching_are_prepared():
    titles = PreparedQuery(
        lambda entry_id: EntryPage.objects.filter(pk=entry_id).values_list("title"),
        entry_id=int,
    )
    with pytest.raises(ValueError, match="model instances"):
        titles(entry_id=1)

    prefetching = PreparedQuery(
        lambda entry_id: EntryPage.objects.filter(pk=entry_id).prefetch_related("tagged_items"),
        entry_id=int,
    )
    with pytest.raises(ValueError, match="prefetch"):
        prefetching(entry_id=1)


def test_arguments_are_named_and_typed():
    with pytest.raises(TypeError, match="str, int or Contains"):
        PreparedQuery(lambda when: EntryPage.objects.filter(date=when), when=object)

    by_id = PreparedQuery(lambda entry_id: EntryPage.objects.filter(pk=entry_id), entry_id=int)
    with pytest.raises(TypeError, match="entry_id"):
        by_id(pk=1)
