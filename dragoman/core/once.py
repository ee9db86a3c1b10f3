"""Consume a one-time link exactly once, however many people open it at the same moment.

Checking "is the link unused?" and then writing "used" are two steps: two requests that both
check before either writes both succeed (two passwords set through one invitation). The
database can do both in one statement:

    UPDATE ... SET used_at = now WHERE id = ... AND used_at IS NULL

and report how many rows it changed. Exactly one concurrent caller changes the row; the
others find the condition false once the winner commits (PostgreSQL waits on the row lock and
re-reads it; SQLite runs one writing transaction at a time) and change nothing.

Every one-time link (invitations, password resets, and those later features add) is consumed
through `one_time_consume`, inside the transaction that does what the link allows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def one_time_consume(*, rows: QuerySet[Any], field: str, new: Any, expected: Any = None) -> bool:
    """Set `field` to `new` on the link's one row if it still holds `expected` (NULL: unused).

    True for exactly one caller; False when the link was used already, or by a concurrent
    request. Call it first in the transaction that acts on the link, and act only on True.
    `expected` other than None fits tokens that die when a value changes (a password reset
    link dies with the password hash it was made from).
    """
    condition = {f"{field}__isnull": True} if expected is None else {field: expected}
    return rows.filter(**condition).update(**{field: new}) == 1
