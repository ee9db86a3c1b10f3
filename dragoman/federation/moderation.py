"""Blocks across ministries: who we refuse, and the blocklists we share.

A domain block covers the domain and its subdomains. The digital team's own rows win over a
subscribed list's rows for the same domain (even a milder one: their judgement is final).
Lists are exchanged in Mastodon's CSV format (``#domain,#severity,#reject_media,
#reject_reports,#public_comment,#obfuscate``).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import ActorBlock, BlocklistSubscription, DomainBlock, Severity

logger = logging.getLogger(__name__)

CSV_HEADER = [
    "#domain",
    "#severity",
    "#reject_media",
    "#reject_reports",
    "#public_comment",
    "#obfuscate",
]


def _parents(domain: str) -> list[str]:
    parts = domain.lower().strip(".").split(".")
    return [".".join(parts[i:]) for i in range(len(parts))]


def domain_block(domain: str) -> DomainBlock | None:
    """The block that applies to ``domain`` (own rows first), or None."""
    candidates = list(DomainBlock.objects.filter(domain__in=_parents(domain)))
    if not candidates:
        return None
    own = [block for block in candidates if not block.source]
    chosen = own or candidates
    # The most specific domain decides; among the same, the harshest.
    order = {str(Severity.BLOCK): 0, str(Severity.SILENCE): 1, str(Severity.NOOP): 2}
    return sorted(chosen, key=lambda b: (-len(b.domain), order.get(b.severity, 3)))[0]


def domain_blocked(domain: str) -> bool:
    block = domain_block(domain)
    return block is not None and block.severity == Severity.BLOCK


def replies_refused(domain: str, actor_uri: str) -> bool:
    """Blocked or silenced: their replies do not enter the moderation queue."""
    block = domain_block(domain)
    if block is not None and block.severity in (Severity.BLOCK, Severity.SILENCE):
        return True
    return ActorBlock.objects.filter(
        uri=actor_uri, severity__in=[Severity.BLOCK, Severity.SILENCE]
    ).exists()


def actor_blocked(actor_uri: str) -> bool:
    return ActorBlock.objects.filter(uri=actor_uri, severity=Severity.BLOCK).exists()


def media_rejected(domain: str) -> bool:
    block = domain_block(domain)
    return block is not None and block.reject_media


# Mastodon CSV ---------------------------------------------------------------------------------
def csv_export() -> str:
    """The team's own blocks (not those from subscriptions) as Mastodon's CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for block in DomainBlock.objects.filter(source="").order_by("domain"):
        writer.writerow(
            [
                block.domain,
                block.severity,
                str(block.reject_media).lower(),
                "false",
                block.public_comment,
                "false",
            ]
        )
    return out.getvalue()


def csv_parse(text: str) -> list[tuple[str, str, bool, str]]:
    """(domain, severity, reject media, comment) of each row; bad rows are skipped.

    Accepts Mastodon's header (``#domain``...) and the bare one (``domain``...), and a plain
    list of domains."""
    rows = []
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    for row in reader:
        if not row or not row[0].strip():
            continue
        if header is None and row[0].strip().lstrip("#") == "domain":
            header = [cell.strip().lstrip("#") for cell in row]
            continue
        values = dict(zip(header or ["domain"], row, strict=False))
        domain = values.get("domain", "").strip().lower()
        if not domain or " " in domain or "*" in domain:
            continue
        severity = values.get("severity", "suspend").strip() or "suspend"
        if severity not in Severity.values:
            severity = Severity.BLOCK
        reject_media = values.get("reject_media", "false").strip().lower() == "true"
        rows.append((domain, severity, reject_media, values.get("public_comment", "")[:500]))
    return rows


@transaction.atomic
def csv_import(text: str, *, source: str = "") -> int:
    """Add the rows of a CSV: as the team's own (``source`` empty), or as one subscription's
    list, which then replaces that subscription's previous rows whole."""
    rows = csv_parse(text)
    if source:
        DomainBlock.objects.filter(source=source).delete()
    for domain, severity, reject_media, comment in rows:
        DomainBlock.objects.update_or_create(
            domain=domain,
            source=source,
            defaults={
                "severity": severity,
                "reject_media": reject_media,
                "public_comment": comment,
            },
        )
    return len(rows)


def subscriptions_refresh(subscriptions: Iterable[BlocklistSubscription] | None = None) -> int:
    """Fetch each subscribed list again (daily, from the scheduler); a list that cannot be
    fetched keeps its previous rows."""
    from django.conf import settings

    from .remote import RemoteError, text_get

    done = 0
    for subscription in subscriptions or BlocklistSubscription.objects.all():
        try:
            # Through the checks of every fetch: a redirect is not followed (it could lead
            # to a private address), and a list is read up to its limit, never whole first.
            text = text_get(subscription.url, limit=settings.DRAGOMAN_FEDERATION_MAX_BYTES * 10)
            csv_import(text, source=subscription.url)
        except RemoteError as error:
            subscription.last_error = str(error)[:500]
            subscription.save(update_fields=["last_error"])
            logger.warning("Blocklist %s not refreshed: %s", subscription.url, error)
            continue
        subscription.last_fetched_at = timezone.now()
        subscription.last_error = ""
        subscription.save(update_fields=["last_fetched_at", "last_error"])
        done += 1
    return done
