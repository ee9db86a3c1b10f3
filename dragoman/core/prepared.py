"""Model queries compiled to SQL once per database connection, then run with new values.

On the busiest reads the ORM spends far longer writing a statement than the database spends
running it: finding an entry by its address took 0.75 ms to compile and 0.08 ms to run at
100,000 entries (multi-table inheritance puts some fifty columns in it). A `PreparedQuery`
compiles its query the first time a connection runs it, keeps the statement, and on each call
only puts in the values, runs it and builds model instances as the ORM's own iteration does:
deferred fields, `select_related` objects, annotations and the database's converters.

    entry_at_address = PreparedQuery(
        lambda url_path: EntryPage.objects.filter(url_path=url_path)[:1], url_path=str
    )
    entries = entry_at_address(url_path="/home/blogs/goma/water/")

The builder must return a queryset of model instances (no `values()`, no
`prefetch_related()`), and what it returns must depend on its arguments only: a value read
at call time (`timezone.now()`, a setting) would be kept with the statement, so pass it in.
Each argument is declared `str` or `int` and must reach the statement unchanged, as in an
exact or `in` lookup; one the ORM rewrites (`startswith`) is refused when the statement is
compiled, with a message, rather than run with a wrong value. An argument declared
`Contains` is a text looked for with `contains` or `icontains`: it is written into the
statement as the ORM writes it there (between % signs, its own % and _ escaped).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

M = TypeVar("M", bound=Model)

# Values no caller passes: each argument is compiled with its own, then found in the params.
_INT_MARKER = 1_987_654_321


class Contains(str):
    """The kind of an argument looked for inside a text (`contains`, `icontains`)."""


def _contained(value: str, connection: BaseDatabaseWrapper) -> str:
    # What Django's `contains` lookups pass for a value (PatternLookup.process_rhs).
    return f"%{connection.ops.prep_for_like_query(value)}%"


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: list[Any]
    slots: dict[str, list[int]]  # argument name -> its positions in params
    compiler: Any
    model: type[Model]
    using: str
    init_list: list[str]
    model_slice: slice
    populators: list[Any]
    annotations: list[tuple[str, int]]
    converters: dict[int, Any]


class PreparedQuery(Generic[M]):
    """A query whose statement is compiled once per database connection (see the module)."""

    def __init__(self, build: Callable[..., QuerySet[M]], **arguments: type) -> None:
        for name, kind in arguments.items():
            if kind not in (str, int, Contains):
                raise TypeError(
                    f"argument {name!r}: a prepared query takes str, int or Contains values"
                )
        self._build = build
        self._arguments = arguments
        self._model: type[M] | None = None
        self._statements: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Statement] = (
            weakref.WeakKeyDictionary()
        )

    def __call__(self, **values: Any) -> list[M]:
        if values.keys() != self._arguments.keys():
            raise TypeError(
                f"expected the arguments {sorted(self._arguments)}, got {sorted(values)}"
            )
        statement = self._statement()
        params = list(statement.params)
        compiler = statement.compiler
        for name, positions in statement.slots.items():
            kind = self._arguments[name]
            value = (
                _contained(str(values[name]), compiler.connection)
                if kind is Contains
                else kind(values[name])
            )
            for position in positions:
                params[position] = value
        with compiler.connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            rows: Sequence[Any] = cursor.fetchall()
        if statement.converters:
            rows = list(compiler.apply_converters(rows, statement.converters))
        return list(self._instances(statement, rows))

    def _statement(self) -> _Statement:
        if self._model is not None:
            # Asked each time: with a read replica, the router sends one request's reads to
            # the replica and the next one's (an editor's, a write's) to the primary.
            statement = self._statements.get(connections[router.db_for_read(self._model)])
            if statement is not None:
                return statement
        # A 32-bit integer: the ORM refuses to compare a value out of a field's range.
        markers = {
            name: _INT_MARKER + index if kind is int else f"\x00{name}:{_INT_MARKER}\x00"
            for index, (name, kind) in enumerate(self._arguments.items())
        }
        queryset = self._build(**markers)
        self._model = queryset.model
        alias = queryset.db
        connection = connections[alias]
        statement = self._compile(queryset, alias, markers)
        self._statements[connection] = statement
        return statement

    def _compile(self, queryset: QuerySet[M], alias: str, markers: dict[str, Any]) -> _Statement:
        if queryset._iterable_class is not ModelIterable:
            raise ValueError(
                "a prepared query returns model instances: no values() or values_list()"
            )
        if getattr(queryset, "_prefetch_related_lookups", ()) or getattr(
            queryset, "_known_related_objects", {}
        ):
            raise ValueError("a prepared query cannot prefetch or come from a related manager")
        compiler = queryset.query.get_compiler(using=alias)
        try:
            # Compiling fills in the compiler's select list, its models and annotations.
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as error:
            raise ValueError(
                "the query was compiled to no statement: an argument out of its field's range?"
            ) from error
        params = list(params)
        # Each argument's value as the ORM put it into the params.
        written = {
            name: _contained(str(marker), connections[alias])
            if self._arguments[name] is Contains
            else marker
            for name, marker in markers.items()
        }
        slots = {
            name: [
                i
                for i, param in enumerate(params)
                if type(param) is type(marker) and param == marker
            ]
            for name, marker in written.items()
        }
        unused = [name for name, positions in slots.items() if not positions]
        if unused:
            raise ValueError(
                f"argument(s) {', '.join(unused)} do not reach the statement unchanged: "
                "use them in exact or `in` lookups only"
            )
        select, klass_info = compiler.select, compiler.klass_info
        fields = [column[0] for column in select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("a prepared query does not read composite fields")
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Statement(
            sql=sql,
            params=params,
            slots=slots,
            compiler=compiler,
            model=klass_info["model"],
            using=alias,
            init_list=[column[0].target.attname for column in select[first:last]],
            model_slice=slice(first, last),
            # django-stubs describes a later Django, which added an argument.
            populators=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]
            annotations=list(compiler.annotation_col_map.items()),
            converters=compiler.get_converters(fields),
        )

    @staticmethod
    def _instances(statement: _Statement, rows: Sequence[Any]) -> Iterator[M]:
        for row in rows:
            instance = statement.model.from_db(
                statement.using, statement.init_list, row[statement.model_slice]
            )
            for populator in statement.populators:
                populator.populate(row, instance)
            for name, position in statement.annotations:
                setattr(instance, name, row[position])
            yield instance  # type: ignore[misc]


def private_apis_missing() -> list[str]:
    """What this module takes from Django's internals and no longer finds, by name.

    Django does not promise these between releases; an upgrade that moves one must fail
    loudly at start-up (``core/checks.py``) and in the tests, not answer wrong rows.
    """
    import inspect

    from django.db.models import query as query_module
    from django.db.models.sql.compiler import SQLCompiler

    missing = []
    if not callable(getattr(query_module, "get_related_populators", None)):
        missing.append("django.db.models.query.get_related_populators")
    elif list(inspect.signature(query_module.get_related_populators).parameters) != [
        "klass_info",
        "select",
        "db",
    ]:
        missing.append("get_related_populators(klass_info, select, db): its arguments changed")
    if getattr(query_module, "ModelIterable", None) is None:
        missing.append("django.db.models.query.ModelIterable")
    for method in ("as_sql", "get_converters", "apply_converters", "has_composite_fields"):
        if not callable(getattr(SQLCompiler, method, None)):
            missing.append(f"SQLCompiler.{method}")
    for attribute in ("_iterable_class", "_prefetch_related_lookups", "_known_related_objects"):
        if not hasattr(QuerySet(), attribute):
            missing.append(f"QuerySet.{attribute}")
    # What compiling fills in, read from a compiled query of Django's own model.
    from django.contrib.contenttypes.models import ContentType

    compiler = ContentType.objects.filter(pk=1).query.get_compiler(using="default")
    compiler.as_sql()
    for attribute in ("select", "klass_info", "col_count", "annotation_col_map"):
        if not hasattr(compiler, attribute):
            missing.append(f"SQLCompiler.{attribute} after as_sql()")
    klass_info = getattr(compiler, "klass_info", None) or {}
    for key in ("model", "select_fields"):
        if key not in klass_info:
            missing.append(f"SQLCompiler.klass_info[{key!r}]")
    return missing
