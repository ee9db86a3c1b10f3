#!/usr/bin/env python
"""Django's command-line utility; `dragoman` (installed with the package) does the same."""

import sys

from dragoman.cli import run_django_command

if __name__ == "__main__":
    run_django_command(sys.argv)
