"""One public check for every certificate the association issues.

Each app that issues certificates registers a lookup in its AppConfig.ready():
``register_certificate_lookup(lookup)``, where ``lookup(number) -> CertificateFound | None``.
The public page (/certificates/check/, the target of every certificate's QR code) asks each
lookup in turn, so a member certificate, an evaluation certificate and any later one are
all checked in the same place.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CertificateFound:
    kind: str  # e.g. 单位会员证书, 社会信用评价证书
    number: str
    holder: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    valid: bool
    status: str  # 有效 / 已过期 / 已撤销 …
    details: list[tuple[str, str]] = field(default_factory=list)


Lookup = Callable[[str], CertificateFound | None]
_lookups: list[Lookup] = []


def register_certificate_lookup(lookup: Lookup) -> None:
    if lookup not in _lookups:
        _lookups.append(lookup)


def certificate_find(number: str) -> CertificateFound | None:
    """The certificate with this number, whoever issued it (numbers are unique by prefix)."""
    number = (number or "").strip()[:40]
    if not number:
        return None
    for lookup in _lookups:
        found = lookup(number)
        if found is not None:
            return found
    return None
