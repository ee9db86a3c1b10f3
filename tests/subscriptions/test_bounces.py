"""Bounces and complaints: a provider's webhook (anymail, Postmark's payloads), and the
bounce mailbox (RFC 3464 reports in a maildir and an mbox, read with flufl.bounce)."""

from __future__ import annotations

import base64
import imaplib
import json
import mailbox
import os
import pwd
import shutil
import ssl
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dragoman.subscriptions import bounces
from dragoman.subscriptions.models import BounceCount, Delivery, Subscriber
from tests.ports import free_port

from .conftest import confirmed, publish_entry

SECRET = "anymail-user:anymail-pass"


@pytest.fixture
def webhook(settings: Any) -> dict[str, str]:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    return {"Authorization": "Basic " + base64.b64encode(SECRET.encode()).decode()}


def postmark(record: str, kind: str, address: str) -> str:
    # Trimmed from Postmark's documented bounce and spam complaint webhook examples.
    return json.dumps(
        {
            "RecordType": record,
            "ID": 4323372036854775807,
            "Type": kind,
            "TypeCode": 1,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Description": "The server was unable to deliver your message.",
            "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
            "Email": address,
            "From": "news@dragoman.test",
            "BouncedAt": "2026-12-05T16:33:54.9070259Z",
            "Inactive": True,
            "CanActivate": True,
            "Subject": "A new consulate opens",
            "MessageStream": "outbound",
            "Metadata": {},
        }
    )


def test_a_hard_bounce_from_the_provider_webhook_suspends(client, blog_entry, webhook):
    confirmed("gone@example.org", kind="blog", value=blog_entry.blog.pk)
    confirmed("soft@example.org", kind="blog", value=blog_entry.blog.pk)

    response = client.post(
        "/anymail/postmark/tracking/",
        postmark("Bounce", "HardBounce", "gone@example.org"),
        content_type="application/json",
        headers=webhook,
    )
    assert response.status_code == 200
    client.post(
        "/anymail/postmark/tracking/",
        postmark("Bounce", "SoftBounce", "soft@example.org"),
        content_type="application/json",
        headers=webhook,
    )

    assert Subscriber.objects.get(email="gone@example.org").status == "suspended"
    assert Subscriber.objects.get(email="soft@example.org").status == "confirmed"
    assert BounceCount.objects.get(kind="bounce").count == 1


def test_a_complaint_suspends(client, blog_entry, webhook):
    confirmed("angry@example.org", kind="blog", value=blog_entry.blog.pk)
    client.post(
        "/anymail/postmark/tracking/",
        postmark("SpamComplaint", "SpamComplaint", "angry@example.org"),
        content_type="application/json",
        headers=webhook,
    )
    assert Subscriber.objects.get().status == "suspended"
    assert BounceCount.objects.get(kind="complaint").count == 1


def test_the_webhook_refuses_a_caller_without_the_secret(client, blog_entry, webhook):
    confirmed("a@example.org", kind="blog", value=blog_entry.blog.pk)
    response = client.post(
        "/anymail/postmark/tracking/",
        postmark("Bounce", "HardBounce", "a@example.org"),
        content_type="application/json",
        headers={"Authorization": "Basic " + base64.b64encode(b"x:y").decode()},
    )
    assert response.status_code in {400, 403}
    assert Subscriber.objects.get().status == "confirmed"


def delivery_report(address: str, *, action: str = "failed", status: str = "5.1.1") -> bytes:
    """A delivery status notification (RFC 3464) as a mail server sends one back."""
    return (
        "From: MAILER-DAEMON@mx.example.org\r\n"
        "To: bounces@dragoman.test\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n"
        "--B\r\n"
        "Content-Type: text/plain\r\n\r\n"
        f"Your message to {address} could not be delivered.\r\n"
        "--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {address}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        f"Diagnostic-Code: smtp; {status[0]}50 {status} No such mailbox\r\n"
        "--B--\r\n"
    ).encode()


def test_the_bounce_maildir_suspends_hard_bounces_only(tmp_path, blog_entry):
    confirmed("gone@example.org", kind="blog", value=blog_entry.blog.pk)
    confirmed("later@example.org", kind="blog", value=blog_entry.blog.pk)
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(delivery_report("gone@example.org"))
    box.add(delivery_report("later@example.org", action="delayed", status="4.4.1"))
    box.add(b"From: a@example.org\r\nSubject: hello\r\n\r\nNot a bounce.\r\n")
    box.close()

    call_command("subscriptions-bounces", mailbox=f"maildir:{tmp_path / 'bounces'}", verbosity=0)

    assert Subscriber.objects.get(email="gone@example.org").status == "suspended"
    assert Subscriber.objects.get(email="later@example.org").status == "confirmed"
    assert len(mailbox.Maildir(tmp_path / "bounces", create=False)) == 0  # read, removed


def test_the_bounce_mbox_and_the_queued_entries_of_a_suspended_address(
    tmp_path, smtp, settings, blog_entry, django_capture_on_commit_callbacks
):
    subscriber = confirmed("gone@example.org", kind="blog", value=blog_entry.blog.pk)
    from dragoman.subscriptions import services

    services.subscriber_frequency_change(subscriber=subscriber, frequency="weekly")
    publish_entry(blog_entry.blog, django_capture_on_commit_callbacks)
    box = mailbox.mbox(tmp_path / "bounces.mbox", create=True)
    box.add(delivery_report("Gone@Example.org"))
    box.close()
    settings.DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX = f"mbox:{tmp_path / 'bounces.mbox'}"

    report = bounces.mailbox_read()

    assert (report.messages, report.suspended) == (1, 1)
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED
    assert smtp.received == []


def test_no_mailbox_configured_does_nothing(settings):
    settings.DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX = ""
    assert bounces.mailbox_read().messages == 0
    with pytest.raises(ValueError, match="Unknown bounce mailbox"):
        bounces.mailbox_read("pop3://example.org")


# A real IMAP server: Dovecot (Debian's dovecot-imapd), on loopback, with TLS --------------
DOVECOT = shutil.which("dovecot") or next(
    (path for path in ("/usr/sbin/dovecot",) if os.path.exists(path)), None
)


@dataclass
class ImapServer:
    port: int
    cafile: str
    imaps_port: int = 0
    user: str = "bounces"
    password: str = "s3cret/pass"

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.starttls(ssl.create_default_context(cafile=self.cafile))
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes) -> None:
        client = self.client()
        try:
            status, _data = client.append("INBOX", None, None, raw)
            assert status == "OK"
        finally:
            client.logout()

    def count(self) -> int:
        client = self.client()
        try:
            status, data = client.select("INBOX")
            assert status == "OK"
            return int(data[0] or 0)
        finally:
            client.logout()


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    """Dovecot in the foreground, in a folder of its own: one account (any user name, one
    password), maildirs under the folder, IMAP with STARTTLS and IMAPS on free ports."""
    if DOVECOT is None:
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    # Not under pytest's tmp_path (private to its owner): Dovecot writes the mail as an
    # unprivileged user, as it requires, who must reach the folder.
    root = Path(tempfile.mkdtemp(prefix="dragoman-dovecot-"))
    os.chmod(root, 0o755)
    for folder in ("run", "mail", "state"):
        (root / folder).mkdir()
    nobody = pwd.getpwnam("nobody")
    os.chown(root / "mail", nobody.pw_uid, nobody.pw_gid)
    # A certificate of our own for 127.0.0.1: the client checks it against this one only.
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(root / "key.pem"), "-out", str(root / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    imap_port, imaps_port = free_port(), free_port()
    server = ImapServer(port=imap_port, imaps_port=imaps_port, cafile=str(root / "cert.pem"))
    (root / "dovecot.conf").write_text(
        f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
auth_mechanisms = plain login
first_valid_uid = {nobody.pw_uid}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={server.password}
}}
userdb {{
  driver = static
  args = uid={nobody.pw_uid} gid={nobody.pw_gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
"""
    )
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                server.count()
                break
            except (OSError, imaplib.IMAP4.error):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.communicate()[0].decode()
                    log = root / "dovecot.log"
                    pytest.fail(
                        f"Dovecot did not start: {output}{log.read_text() if log.exists() else ''}"
                    )
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def test_the_bounce_mailbox_over_imap_with_starttls(
    imap_server, settings, monkeypatch, smtp, blog_entry, django_capture_on_commit_callbacks
):
    """Bounces read from a real IMAP server (Dovecot): the hard bounce suspends its address,
    the delayed notice and the message that is no bounce change nothing, and all three are
    deleted from the mailbox once read."""
    monkeypatch.setenv("SSL_CERT_FILE", imap_server.cafile)  # trust our own certificate
    blog = blog_entry.blog
    confirmed("gone@example.org", kind="blog", value=blog.pk)
    confirmed("later@example.org", kind="blog", value=blog.pk)
    imap_server.append(delivery_report("gone@example.org"))
    imap_server.append(delivery_report("later@example.org", action="delayed", status="4.4.1"))
    imap_server.append(b"From: a@example.org\r\nSubject: hello\r\n\r\nNot a bounce.\r\n")
    assert imap_server.count() == 3
    password = urllib.parse.quote(imap_server.password, safe="")
    settings.DRAGOMAN_SUBSCRIPTIONS_BOUNCE_MAILBOX = (
        f"imap://{imap_server.user}:{password}@127.0.0.1:{imap_server.port}/INBOX"
    )

    call_command("subscriptions-bounces", verbosity=0)

    assert Subscriber.objects.get(email="gone@example.org").status == "suspended"
    assert Subscriber.objects.get(email="later@example.org").status == "confirmed"
    assert BounceCount.objects.get(kind="bounce").count == 1
    assert imap_server.count() == 0  # read, then deleted
    # The suspended address is not written to again.
    publish_entry(blog, django_capture_on_commit_callbacks)
    assert [r.rcpt_tos for r in smtp.received] == [["later@example.org"]]


def test_the_bounce_mailbox_over_imaps(imap_server, monkeypatch, blog_entry):
    monkeypatch.setenv("SSL_CERT_FILE", imap_server.cafile)
    confirmed("gone@example.org", kind="blog", value=blog_entry.blog.pk)
    imap_server.append(delivery_report("gone@example.org"))

    report = bounces.mailbox_read(
        f"imaps://{imap_server.user}:{urllib.parse.quote(imap_server.password, safe='')}"
        f"@127.0.0.1:{imap_server.imaps_port}/INBOX"
    )

    assert (report.messages, report.suspended) == (1, 1)
    assert imap_server.count() == 0


def test_a_wrong_imap_password_is_an_error_and_reads_nothing(imap_server, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", imap_server.cafile)
    imap_server.append(delivery_report("gone@example.org"))
    with pytest.raises(imaplib.IMAP4.error):
        bounces.mailbox_read(f"imap://bounces:wrong@127.0.0.1:{imap_server.port}/INBOX")
    assert imap_server.count() == 1
