"""Export or erase one person's subscription data (a data subject's request)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dragoman.subscriptions import services


class Command(BaseCommand):
    help = "Print as JSON everything held about an address (export), or erase it (--erase)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--erase", action="store_true", help="Delete it all.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["erase"]:
            if not services.subscriber_erase(email=options["email"]):
                raise CommandError("Nothing is held about this address.")
            self.stdout.write("erased")
            return
        data = services.subscriber_export(email=options["email"])
        if data is None:
            raise CommandError("Nothing is held about this address.")
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
