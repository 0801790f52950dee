"""Amazon Resource Names that read like real ones.

A field named `CertificateArn` whose pattern is only `arn:[\\w+=/,.@-]+:acm:...`
got whatever a regex expander makes of it (`arn:R:acm:QJ:46023161:JW-/0V/q@`),
and every task of AWS's ~350 specs said so. An ARN has a shape
(`arn:partition:service:region:account:resource`) the schema seldom spells
out; this writes it the way AWS's own documentation does (partition `aws`,
`us-east-1`, account `123456789012`), the service from the pattern or the
spec's `*.amazonaws.com` server, the resource type from the field's name.
The schema still decides: a candidate its pattern refuses is not used.
"""

from __future__ import annotations

import re
import uuid
from random import Random

ACCOUNT = "123456789012"
REGION = "us-east-1"
# services whose ARNs name no region (`arn:aws:iam::123456789012:role/...`)
_GLOBAL = frozenset("iam organizations s3 route53 cloudfront waf shield".split())
_NAMES_ARN = re.compile(r"(?:^|[a-z0-9_])(?:Arn|ARN|_arn)s?$|^arns?$")
_SERVICE = re.compile(r"^\^?arn:[^:]*:([a-z][a-z0-9-]*):")
# a literal resource type after the account (`:[0-9]{12}:processing-job/.*`)
_TYPE = re.compile(r":(?:\[0-9\]|\\d|[0-9])[^:]*:([a-z][a-z0-9-]*)(?:\\?/|:)")
_HOST = re.compile(r"^[a-z]+://([a-z0-9-]+)\.(?:\{[^}]*\}|[a-z0-9-]+)\.amazonaws\.com")


def names_arn(hint: str, pattern: str | None) -> bool:
    """A field that holds an ARN: named so (`roleArn`, `ResourceARN`) or
    patterned so (`^arn:aws:kms:...`)."""
    return bool(_NAMES_ARN.search(hint or "")) or bool(
        pattern and pattern.lstrip("^").startswith("arn:")
    )


def service_of(document: dict) -> str | None:
    """The AWS service a spec describes, from its server (`acm.{region}.amazonaws.com`)."""
    for server in document.get("servers") or ():
        match = _HOST.match(str((server or {}).get("url", "")))
        if match:
            return match.group(1)
    return None


def candidates(
    hint: str, pattern: str | None, service: str | None, rng: Random
) -> list[str]:
    """ARNs for the field, likeliest first: the caller keeps the first that
    its schema accepts."""
    service = _literal(_SERVICE, pattern) or service
    if not service:
        return []
    region = "" if service in _GLOBAL else REGION
    kind = _literal(_TYPE, pattern) or _kind(hint)
    ident = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    name = f"{kind}-{rng.randrange(1000, 9999)}"
    prefix = f"arn:aws:{service}:{region}:{ACCOUNT}:{kind}"
    return [f"{prefix}/{ident}", f"{prefix}/{name}", f"{prefix}:{name}"]


def _literal(pattern_re: re.Pattern[str], pattern: str | None) -> str | None:
    match = pattern_re.search(pattern or "")
    return match.group(1) if match else None


def _kind(hint: str) -> str:
    """The resource type a field's name gives (`CertificateAuthorityArn` ->
    `certificate-authority`); a bare `Arn` or `ResourceArn` says `resource`."""
    stem = re.sub(r"(?:Arn|ARN|_arn|arn)s?$", "", hint or "")
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", stem)
    return "-".join(w.lower() for w in words) or "resource"
