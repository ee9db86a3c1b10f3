"""HTTP signatures of the requests servers send one another, both ways.

Two schemes are in use. RFC 9421 (HTTP Message Signatures) is the standard, done by the
``http-message-signatures`` library. Most servers still send the older draft-cavage-12
"Signature" header, which no maintained Python library implements on its own (``httpsig``
was last released in 2018; bovine and Mastodon each carry their own): its rules are small
(a list of header lines, one RSA PKCS#1 v1.5 SHA-256 signature), so they are written here on
``cryptography``, with the digest, the date window and replays checked for both schemes alike.

A verification answers who signed (the key's id) or raises ``SignatureRefused`` with a reason
for the log; the inbox turns that into a 401 and changes nothing.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature as CryptoInvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.core.cache import cache
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    algorithms,
)
from http_message_signatures.exceptions import HTTPMessageSignaturesException

RFC9421 = "rfc9421"
CAVAGE = "cavage"
# What a cavage signature of a request must cover: without these a signature could be
# replayed onto another address, another day or another body.
CAVAGE_REQUIRED = ("(request-target)", "host", "date")


class SignatureRefused(Exception):
    """The request is not signed as it must be; the message says why (for the log)."""


def window() -> timedelta:
    return timedelta(seconds=settings.DRAGOMAN_FEDERATION_SIGNATURE_WINDOW)


# Keys -----------------------------------------------------------------------------------------
def key_pair_new() -> tuple[str, str]:
    """A new RSA key pair as PEM text (private, public). 2048 bits, as every server expects."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@functools.lru_cache(maxsize=256)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    # Parsed once per key and process: loading checks the RSA key, which takes about 0.2 s
    # on a small machine, and one publication signs a request for every inbox.
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("Only RSA keys are used for signing.")
    return key


def _public_key(pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as error:
        raise SignatureRefused("The signer's public key cannot be read.") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureRefused("Only RSA keys are accepted.")
    return key


# Digests ----------------------------------------------------------------------------------------
def digest_header(body: bytes) -> str:
    """The cavage ``Digest`` header (RFC 3230)."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def content_digest_header(body: bytes) -> str:
    """The RFC 9530 ``Content-Digest`` header."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


def _digest_matches(headers: Mapping[str, str], body: bytes) -> bool:
    if "digest" in headers:
        for part in headers["digest"].split(","):
            name, _, value = part.strip().partition("=")
            if name.lower() == "sha-256":
                return value == digest_header(body).partition("=")[2]
        return False
    if "content-digest" in headers:
        return content_digest_header(body).removeprefix("sha-256=") in headers["content-digest"]
    return False


# The request as both schemes see it ----------------------------------------------------------
class _Headers(dict[str, str]):
    """Header names in lower case (HTTP names are case-insensitive)."""

    def __init__(self, items: Mapping[str, str]) -> None:
        super().__init__((name.lower(), value) for name, value in items.items())

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name.lower())

    def __setitem__(self, name: str, value: str) -> None:
        super().__setitem__(name.lower(), value)

    def __delitem__(self, name: str) -> None:
        super().__delitem__(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(name.lower(), default)


@dataclass
class Message:
    """An HTTP request: what signing reads and writes, and what verifying reads."""

    method: str
    url: str
    headers: _Headers
    body: bytes = b""

    @classmethod
    def of(cls, method: str, url: str, headers: Mapping[str, str], body: bytes = b"") -> Message:
        return cls(method.upper(), url, _Headers(headers), body)


# Signing ------------------------------------------------------------------------------------------
class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, private: rsa.RSAPrivateKey | None = None, public: Any = None) -> None:
        self.private = private
        self.public = public

    def resolve_private_key(self, key_id: str) -> Any:
        return self.private

    def resolve_public_key(self, key_id: str) -> Any:
        return self.public


def sign(
    message: Message, *, key_id: str, private_key_pem: str, scheme: str, now: datetime | None = None
) -> Message:
    """Sign the request in place with one scheme; adds Date, Host and the body's digest."""
    now = now or datetime.now(UTC)
    parts = urlsplit(message.url)
    message.headers["Host"] = parts.netloc
    message.headers["Date"] = format_datetime(now, usegmt=True)
    key = _private_key(private_key_pem)
    if scheme == RFC9421:
        components = ["@method", "@target-uri", "date"]
        if message.method == "POST":
            message.headers["Content-Digest"] = content_digest_header(message.body)
            components.append("content-digest")
        signer = HTTPMessageSigner(
            signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=_OneKey(private=key)
        )
        signer.sign(
            message,
            key_id=key_id,
            label="sig1",
            created=now,
            covered_component_ids=components,
            use_existing_digest=message.method == "POST",
        )
        return message
    covered = ["(request-target)", "host", "date"]
    if message.method == "POST":
        message.headers["Digest"] = digest_header(message.body)
        covered.append("digest")
    text = _cavage_signing_text(message, covered)
    signature = key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    message.headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(covered)}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return message


def _target(message: Message) -> str:
    parts = urlsplit(message.url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _cavage_signing_text(message: Message, covered: list[str]) -> str:
    lines = []
    for name in covered:
        if name == "(request-target)":
            lines.append(f"(request-target): {message.method.lower()} {_target(message)}")
        elif name in ("(created)", "(expires)"):
            raise SignatureRefused(f"The pseudo-header {name} is not supported.")
        else:
            if name not in message.headers:
                raise SignatureRefused(f"The signed header {name} is missing.")
            lines.append(f"{name}: {message.headers[name].strip()}")
    return "\n".join(lines)


_PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*"([^"]*)"\s*,?')


def _cavage_parameters(header: str) -> dict[str, str]:
    return {match.group(1): match.group(2) for match in _PARAM.finditer(header)}


# Verifying ---------------------------------------------------------------------------------------
KeyLookup = Callable[[str, bool], str]
"""(key id, refresh) -> the public key's PEM: the cached copy, or fetched anew when refresh."""


def verify(
    message: Message, *, key_of: KeyLookup, now: datetime | None = None, once: bool = True
) -> str:
    """The key id of a valid, fresh, first-seen signature on this request, or SignatureRefused.

    The date must lie within the window either side of now; a POST's body must match its
    signed digest; a signature already seen in the window is a replay. A failure with the
    cached key is tried once more with the key fetched anew (the actor may have rotated it).
    ``once=False`` skips the replay check, for signed GETs (authorized fetch): a replayed GET
    changes nothing, and two fetches of one address in the same second sign alike.
    """
    now = now or datetime.now(UTC)
    if "signature-input" in message.headers and "signature" in message.headers:
        key_id = _verify_rfc9421(message, key_of=key_of, now=now)
    elif "signature" in message.headers:
        key_id = _verify_cavage(message, key_of=key_of, now=now)
    else:
        raise SignatureRefused("The request is not signed.")
    if once:
        _remember_once(message.headers["signature"])
    return key_id


def _check_date(message: Message, now: datetime, created: datetime | None = None) -> None:
    if created is None:
        if "date" not in message.headers:
            raise SignatureRefused("The request has no date.")
        try:
            created = parsedate_to_datetime(message.headers["date"])
        except (TypeError, ValueError) as error:
            raise SignatureRefused("The request's date cannot be read.") from error
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
    if abs(now - created) > window():
        raise SignatureRefused("The request's date is outside the accepted window.")


def _check_body(message: Message) -> None:
    if message.method == "POST" and not _digest_matches(message.headers, message.body):
        raise SignatureRefused("The body does not match its digest.")


def _verify_cavage(message: Message, *, key_of: KeyLookup, now: datetime) -> str:
    params = _cavage_parameters(message.headers["signature"])
    key_id, signature_b64 = params.get("keyId", ""), params.get("signature", "")
    covered = params.get("headers", "date").lower().split()
    if not key_id or not signature_b64:
        raise SignatureRefused("The signature has no keyId or no signature.")
    if params.get("algorithm", "hs2019") not in ("rsa-sha256", "hs2019"):
        raise SignatureRefused("The signature's algorithm is not accepted.")
    missing = [name for name in CAVAGE_REQUIRED if name not in covered]
    if message.method == "POST" and "digest" not in covered:
        missing.append("digest")
    if missing:
        raise SignatureRefused(f"The signature does not cover {', '.join(missing)}.")
    _check_date(message, now)
    _check_body(message)
    text = _cavage_signing_text(message, covered).encode()
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except ValueError as error:
        raise SignatureRefused("The signature is not base64.") from error
    for refresh in (False, True):
        try:
            _public_key(key_of(key_id, refresh)).verify(
                signature, text, padding.PKCS1v15(), hashes.SHA256()
            )
            return key_id
        except CryptoInvalidSignature:
            continue
    raise SignatureRefused("The signature does not match the signer's key.")


def _verify_rfc9421(message: Message, *, key_of: KeyLookup, now: datetime) -> str:
    required = ["@method", "@target-uri"]
    if message.method == "POST":
        required.append("content-digest")
    last_error: Exception | None = None
    for refresh in (False, True):
        resolver = _LookupResolver(key_of, refresh)
        verifier = HTTPMessageVerifier(
            signature_algorithm=algorithms.RSA_V1_5_SHA256, key_resolver=resolver
        )
        try:
            results = verifier.verify(
                message,
                max_age=window(),
                require_components=required,
                body=message.body if message.method == "POST" else None,
            )
        except SignatureRefused:
            raise
        except (HTTPMessageSignaturesException, ValueError) as error:
            last_error = error
            continue
        result = results[0]
        created = result.parameters.get("created")
        if isinstance(created, int):
            _check_date(message, now, datetime.fromtimestamp(created, UTC))
        else:
            _check_date(message, now)
        return str(result.parameters.get("keyid", resolver.key_id))
    raise SignatureRefused(f"The signature does not verify: {last_error}")


class _LookupResolver(HTTPSignatureKeyResolver):
    def __init__(self, key_of: KeyLookup, refresh: bool) -> None:
        self.key_of = key_of
        self.refresh = refresh
        self.key_id = ""

    def resolve_public_key(self, key_id: str) -> Any:
        self.key_id = key_id
        return _public_key(self.key_of(key_id, self.refresh))

    def resolve_private_key(self, key_id: str) -> Any:
        raise NotImplementedError


def _remember_once(signature: str) -> None:
    """Refuse a signature seen before: kept twice the window, past which its date fails."""
    key = "dragoman:fed:seen:" + hashlib.sha256(signature.encode()).hexdigest()
    if not cache.add(key, 1, timeout=int(window().total_seconds() * 2)):
        raise SignatureRefused("This signature was already used (a replay).")
