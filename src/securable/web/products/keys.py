"""The organization's package-signing key, held by the server: made on first use, sealed at rest.

The private key (PKCS#8 PEM, the format ``securable keygen`` writes) is encrypted with AES-256-GCM
under a key derived (HKDF-SHA256) from SECURABLE_WEB_KEY_SECRET, or from the Django secret key when
that is not set; the organization's id is the associated data, so a sealed key copied to another
organization's row does not open. It is opened only to sign a build, into a private temporary file
the build removes, and is never shown.

An owner rotates the key (:func:`rotate_key`): a new key signs from then on, the old one is kept
retired so its public key stays downloadable and every package it signed still verifies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from securable.errors import InputError
from securable.web.audit.record import append
from securable.web.orgs.models import Organization
from securable.web.products.models import SigningKey
from securable.web.service import Actor, authorize

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_INFO = b"securable workspace: package signing keys v1"


def _cipher() -> AESGCM:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = (getattr(settings, "SIGNING_KEY_SECRET", "") or settings.SECRET_KEY).encode("utf-8")
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret))


def _aad(organization: Organization) -> bytes:
    return str(organization.public_id).encode("ascii")


def make_key(organization: Organization) -> SigningKey:
    """A new key pair for ``organization`` (not saved: the caller saves it in its transaction)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from securable.package.keys import fingerprint

    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    nonce = os.urandom(12)
    return SigningKey(
        organization=organization,
        public_pem=public.decode("ascii"),
        fingerprint=fingerprint(private.public_key()),
        sealed_private=nonce + _cipher().encrypt(nonce, pem, _aad(organization)),
    )


def write_private(key: SigningKey, organization: Organization, path: Path) -> None:
    """The opened private key as a PEM file readable by the owner only (for one build)."""
    sealed = bytes(key.sealed_private)
    pem = _cipher().decrypt(sealed[:12], sealed[12:], _aad(organization))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


def current_key(organization: Organization) -> SigningKey | None:
    """The key that signs new builds; None before the first release is approved."""
    found: SigningKey | None = SigningKey.objects.for_org(organization).filter(retired=None).first()
    return found


@dataclass(frozen=True)
class RotateKey:
    why: str  # required: whoever checks old packages later reads why the key changed


def rotate_key(actor: Actor, organization: Organization, command: RotateKey) -> SigningKey:
    """Retire the current key (if any) and make a new one; owners only (``key.rotate``)."""
    authorize(actor, organization, "key.rotate")
    why = " ".join(command.why.split())
    if not why:
        raise InputError("say why the key is rotated", hint="e.g. yearly rotation, or a suspected leak")
    with transaction.atomic():
        authorize(actor, organization, "key.rotate")
        # The organization's row is the lock approvals take before making a first key: a rotation
        # and an approval at once cannot leave two current keys.
        Organization.objects.select_for_update().filter(pk=organization.pk).exists()
        old = SigningKey.objects.for_org(organization).select_for_update().filter(retired=None).first()
        if old is not None:
            old.retired = timezone.now()
            old.save(update_fields=["retired"])
        key = make_key(organization)
        key.save(force_insert=True)
        append(
            actor,
            organization,
            "key.rotate",
            target=("signing-key", key.fingerprint),
            before={"fingerprint": old.fingerprint if old is not None else None},
            after={"fingerprint": key.fingerprint},
            why=why[:500],
        )
    return key
