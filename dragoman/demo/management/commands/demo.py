"""Build the demo network (once) and serve it."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dragoman.demo import builder


class Command(BaseCommand):
    help = "Build the fictional demo network if it is not there yet, then serve it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Build only.")

    def handle(self, *args: Any, host: str, port: int, no_serve: bool, **options: Any) -> None:
        if settings.PRODUCTION:
            self.stderr.write("The demo network is never built in production.")
            raise SystemExit(1)
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if builder.demo_exists():
            self.stdout.write("The demo network is already built.")
        else:
            self.stdout.write("Building the demo network...")
            builder.demo_build(report=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            f"\nDragoman demo: http://{host}:{port}/\n"
            f"Admin: http://{host}:{port}/admin/  user '{builder.DEMO_ADMIN_USERNAME}', "
            f"password '{builder.DEMO_ADMIN_PASSWORD}' (demo only)\n"
        )
        if not no_serve:
            call_command("serve", host=host, port=port)
