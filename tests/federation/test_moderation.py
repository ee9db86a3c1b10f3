"""Blocks: Mastodon's CSV both ways, subdomains, the team's own rows win."""

from dragoman.federation import moderation
from dragoman.federation.models import DomainBlock, Severity

MASTODON_CSV = """#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
spam.example,suspend,false,false,Spam,false
loud.example,silence,true,false,,false
"""


def test_a_mastodon_csv_round_trips(db):
    assert moderation.csv_import(MASTODON_CSV) == 2

    exported = moderation.csv_export()

    assert exported.splitlines()[0] == ",".join(moderation.CSV_HEADER)
    assert sorted(moderation.csv_parse(exported)) == sorted(moderation.csv_parse(MASTODON_CSV))


def test_subdomains_are_blocked_and_silence_refuses_replies(db):
    moderation.csv_import(MASTODON_CSV)

    assert moderation.domain_blocked("spam.example")
    assert moderation.domain_blocked("a.spam.example")
    assert not moderation.domain_blocked("loud.example")
    assert moderation.replies_refused("loud.example", "https://loud.example/u/x")
    assert moderation.media_rejected("loud.example")
    assert not moderation.domain_blocked("fine.example")


def test_the_teams_own_entries_win_over_a_subscription(db):
    moderation.csv_import(MASTODON_CSV, source="https://ministry.example/blocks.csv")
    DomainBlock.objects.create(domain="spam.example", severity=Severity.NOOP)

    assert not moderation.domain_blocked("spam.example")
    # A refreshed subscription replaces its own rows only.
    moderation.csv_import("domain\nother.example\n", source="https://ministry.example/blocks.csv")
    assert moderation.domain_blocked("other.example")
    assert not moderation.domain_blocked("loud.example")
    assert DomainBlock.objects.filter(source="").count() == 1


def test_a_subscribed_blocklist_is_fetched_daily_and_a_failed_fetch_keeps_the_last_list(
    db, settings
):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from django.core.management import call_command

    from dragoman.core import scheduler
    from dragoman.federation.models import BlocklistSubscription
    from tests.ports import free_port

    class Published(BaseHTTPRequestHandler):
        status = 200

        def do_GET(self) -> None:
            self.send_response(Published.status)
            if Published.status == 302:
                # Somewhere a blocklist must never lead us: a redirect is not followed.
                self.send_header("Location", "http://169.254.169.254/latest/meta-data")
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            self.wfile.write(MASTODON_CSV.encode())

        def log_message(self, *args: object) -> None:
            pass

    assert ("federation-blocklists-refresh", scheduler.DAY_SECONDS) in scheduler.PERIODIC_COMMANDS
    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Published)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/blocks.csv"
        BlocklistSubscription.objects.create(url=url)

        call_command("federation-blocklists-refresh")
        assert moderation.domain_blocked("spam.example")
        assert DomainBlock.objects.get(domain="spam.example").source == url
        assert BlocklistSubscription.objects.get().last_fetched_at is not None

        for status in (500, 302):
            Published.status = status
            call_command("federation-blocklists-refresh")
            assert moderation.domain_blocked("spam.example")
            assert str(status) in BlocklistSubscription.objects.get().last_error

        Published.status = 200
        settings.DRAGOMAN_FEDERATION_MAX_BYTES = 10  # the list may be ten times that: 100
        call_command("federation-blocklists-refresh")
        assert "over 100 bytes" in BlocklistSubscription.objects.get().last_error
        assert moderation.domain_blocked("spam.example")
    finally:
        server.shutdown()
        server.server_close()


def test_a_blocklist_on_a_private_address_is_refused(db, settings):
    from dragoman.federation.models import BlocklistSubscription

    settings.DRAGOMAN_FEDERATION_ALLOW_PRIVATE = False
    subscription = BlocklistSubscription.objects.create(url="http://127.0.0.1:9/x.csv")

    assert moderation.subscriptions_refresh() == 0
    assert "private" in BlocklistSubscription.objects.get(pk=subscription.pk).last_error


def test_the_command_imports_and_exports(db, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "blocks.csv"
    path.write_text(MASTODON_CSV)

    call_command("federation-blocklist", "import", str(path))
    call_command("federation-blocklist", "export")

    assert "spam.example,suspend" in capsys.readouterr().out


def test_media_from_a_server_whose_media_is_rejected_is_not_kept(db, settings):
    from dragoman.federation import services
    from dragoman.federation.models import DomainBlock, Received

    from .helpers import remote_actor

    settings.BASE_URL = "http://testserver"
    group = services.group_create(username="practitioners", name="Practitioners")
    note = {
        "id": "https://other.example/notes/1",
        "type": "Note",
        "content": '<p>Our poster</p><img src="https://other.example/p.jpg">',
        "attachment": [{"type": "Image", "url": "https://other.example/p.jpg"}],
    }
    services.note_received(local=group, remote=remote_actor(), note=note)
    DomainBlock.objects.create(domain="other.example", severity="noop", reject_media=True)
    services.note_received(
        local=group, remote=remote_actor(), note={**note, "id": note["id"] + "2"}
    )

    kept, stripped = Received.objects.order_by("pk")
    assert "attachment" in kept.document and "<img" in kept.content
    assert "attachment" not in stripped.document
    assert stripped.content == "<p>Our poster</p>"
