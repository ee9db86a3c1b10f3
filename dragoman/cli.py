"""The `dragoman` console command: Django's management commands under one name.

`dragoman serve`, `dragoman demo` and `dragoman seed` are the everyday ones; every other
Django command works too (`dragoman migrate`, `dragoman createsuperuser`).
"""

import os
import sys


def run_django_command(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dragoman.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main() -> None:
    run_django_command(["dragoman", *sys.argv[1:]])
