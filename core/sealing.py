"""Sealing: values the database must hold but its readers must not read (a committee ballot
before the count, a draw's seed before the draw).

A sealed value is AES-256-GCM under a key derived (HKDF-SHA256) from ``settings.SEALING_KEY``
and a purpose label, so the key lives where SECRET_KEY lives (the environment), never in the
database or its backups, and one purpose's token cannot be opened as another's. Plaintexts
are padded to a fixed length before sealing: a token's length says nothing of what it holds
(an "approve" and a "send_back" ballot are the same size). Each token carries a fresh nonce,
so equal plaintexts give unrelated tokens.

``keyed_digest`` is the matching one-way lookup: an HMAC under the purpose's key, for finding
a sealed row by something its holder knows (a receipt code) without storing that thing's
plain hash beside it."""
import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE_BYTES = 12


class SealBroken(ValueError):
    """A token that was not sealed for this purpose under the configured key, or was altered."""


def _key(purpose: str) -> bytes:
    secret = (settings.SEALING_KEY or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cnmia-portal-sealing",
                info=purpose.encode()).derive(secret)


def seal(purpose: str, plaintext: str, *, pad_to: int) -> str:
    """``plaintext`` sealed for ``purpose``, padded to ``pad_to`` bytes (ValueError if longer)."""
    data = plaintext.encode()
    if len(data) >= pad_to:
        raise ValueError(f"sealed value longer than {pad_to - 1} bytes")
    padded = data + b"\x00" + b" " * (pad_to - len(data) - 1)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, padded, purpose.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(purpose: str, token: str) -> str:
    """The plaintext of a token sealed by ``seal`` for the same purpose."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
        padded = AESGCM(_key(purpose)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
    except (InvalidTag, ValueError) as exc:
        raise SealBroken("sealed value cannot be opened with the configured key") from exc
    return padded.split(b"\x00", 1)[0].decode()


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under the purpose's key (hex)."""
    return hmac.new(_key(purpose + ":lookup"), value.encode(), hashlib.sha256).hexdigest()
