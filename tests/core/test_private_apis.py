"""Django's and Wagtail's internals that two modules rely on are still where they were: an
upgrade that moves one fails here, naming it (and `migrate` refuses to start)."""

from django.core.checks import run_checks

from dragoman.core import prepared, wagtail_site


def test_django_internals_of_prepared_queries_are_where_they_were(db):
    assert prepared.private_apis_missing() == []


def test_wagtail_internals_of_the_site_lookup_are_where_they_were(db):
    assert wagtail_site.private_apis_missing() == []


def test_a_moved_internal_stops_the_start_up_checks_naming_it(db, monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    monkeypatch.delattr(SQLCompiler, "apply_converters")

    errors = [e for e in run_checks(databases=["default"]) if e.id == "dragoman.E001"]

    assert [e.msg for e in errors] == ["SQLCompiler.apply_converters has moved or changed"]
    assert "dragoman.core.prepared" in errors[0].hint


def test_page_urls_are_the_addresses_wagtail_gives_the_pages(db):
    from tests.factories import BlogFactory, EntryFactory

    blog = BlogFactory(slug="tunis")
    entry = EntryFactory(blog=blog, slug="water")

    assert wagtail_site.page_urls([entry.url_path, blog.url_path]) == [entry.url, blog.url]
    assert wagtail_site.page_urls(["/elsewhere/"]) == [""]  # under no site: no address
