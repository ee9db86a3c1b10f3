"""Path converters for the public addresses.

Django's ``int`` converter takes any run of digits, and the database refuses an integer past
64 bits (PostgreSQL with an error, SQLite with OverflowError): ``/entries/9223372036854775808/``
was a 500. Every key in an address goes through ``id`` instead, which does not match such a
number at all, so the address is a plain 404 on every route at once.
"""

from __future__ import annotations

from django.urls import register_converter

# The largest primary key a BigAutoField holds (and SQLite's INTEGER).
MAX_ID = 2**63 - 1


class IdConverter:
    # At most 19 digits: the regex refuses longer runs before int() is even called.
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            # A ValueError makes Django try the next pattern, then answer 404.
            raise ValueError(f"{value} is not a key the database can hold")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
