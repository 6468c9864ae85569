"""Resident ID numbers at rest: AES-GCM ciphertext plus a keyed hash for exact lookups.

A stored value is ``v1:<key id>:<base64 of nonce + ciphertext + tag>``: a fresh random
96-bit nonce per value, and the id of the key (the first 8 hex digits of a SHA-256 over
it) so a value is always decrypted with the key that wrote it and a rekey knows which rows
are left. The hash column is HMAC-SHA256 of the clear value under a key derived from the
data key: equal ID numbers give equal hashes, so it serves exact search and uniqueness
without the clear value. Both sub-keys are derived from ``PORTAL_DATA_KEY`` with HKDF.
"""
import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from .config import DEFAULT_DATA_KEY

FORMAT = "v1"
NONCE_BYTES = 12
KEY_BYTES = 32
ASSOCIATED_DATA = b"pcrm customer.id_number"


class DataKeyError(Exception):
    """A data key is missing or malformed, or a stored value cannot be decrypted."""


def parse_key(text, name="PORTAL_DATA_KEY"):
    """Return the 32 key bytes of base64 ``text``, or raise DataKeyError saying what is wrong."""
    try:
        key = base64.b64decode((text or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise DataKeyError(f"{name} must be {KEY_BYTES} random bytes in base64 (44 characters), "
                           "e.g. the output of: python -c \"import base64, os; "
                           "print(base64.b64encode(os.urandom(32)).decode())\"")
    return key


def _derive(key, purpose):
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"pcrm " + purpose).derive(key)


class DataKey:
    """One data key: its id, the AES-GCM cipher and the HMAC key derived from it."""

    def __init__(self, key):
        self.key = key
        self.key_id = hashlib.sha256(key).hexdigest()[:8]
        self.cipher = AESGCM(_derive(key, b"encryption"))
        # HMAC state after the key, copied per value: a third of the cost of hmac.new.
        self.hmac = hmac.new(_derive(key, b"lookup hash"), digestmod=hashlib.sha256)

    def __reduce__(self):  # picklable for the demo's worker processes: rebuilt from the key
        return DataKey, (self.key,)

    def encrypt(self, clear):
        """Return the stored form of ``clear`` under this key (a fresh nonce each time)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.cipher.encrypt(nonce, clear.encode(), ASSOCIATED_DATA)
        return f"{FORMAT}:{self.key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def digest(self, clear):
        """Return the lookup hash (64 hex digits) of ``clear`` under this key."""
        mac = self.hmac.copy()
        mac.update(clear.encode())
        return mac.hexdigest()


class Keyring:
    """The current data key, which writes, and older keys, which still read during a rekey."""

    def __init__(self, current, *older):
        self.current = DataKey(current)
        self.keys = {self.current.key_id: self.current}
        for key in older:
            self.keys.setdefault(DataKey(key).key_id, DataKey(key))

    def encrypt(self, clear):
        """Return the stored form of ``clear`` under the current key."""
        return self.current.encrypt(clear)

    def digest(self, clear):
        """Return the lookup hash of ``clear`` under the current key."""
        return self.current.digest(clear)

    def sealed(self, clear):
        """Return ``(ciphertext, hash)`` of ``clear`` under the current key, for bulk writes."""
        return self.current.encrypt(clear), self.current.digest(clear)

    def digests(self, clear):
        """Return the hashes of ``clear`` under every key: what a lookup during a rekey needs."""
        return sorted({key.digest(clear) for key in self.keys.values()})

    def key_id_of(self, stored):
        """Return the id of the key that wrote ``stored`` (None if it is not in our format)."""
        parts = (stored or "").split(":")
        return parts[1] if len(parts) == 3 and parts[0] == FORMAT else None

    def is_current(self, stored):
        """Tell whether ``stored`` was written under the current key."""
        return self.key_id_of(stored) == self.current.key_id

    def decrypt(self, stored):
        """Return the clear value of ``stored``; DataKeyError if no key we hold can open it."""
        if stored is None:
            return None
        key = self.keys.get(self.key_id_of(stored))
        if key is None:
            raise DataKeyError("A resident ID number was encrypted under a data key this portal "
                               "does not hold (check PORTAL_DATA_KEY and PORTAL_DATA_KEY_OLD).")
        try:
            raw = base64.b64decode(stored.split(":")[2], validate=True)
            return key.cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                                      ASSOCIATED_DATA).decode()
        except (InvalidTag, binascii.Error, ValueError):
            raise DataKeyError("A stored resident ID number is damaged or was not written "
                               "under the key that its key id names.") from None


def keyring_from_config(config):
    """Build the keyring from ``DATA_KEY`` and ``DATA_KEY_OLD`` of a configuration mapping."""
    old = config.get("DATA_KEY_OLD")
    return Keyring(parse_key(config.get("DATA_KEY")),
                   *([parse_key(old, "PORTAL_DATA_KEY_OLD")] if old else []))


def check_data_key(config):
    """Refuse to start without a usable data key; production must not use the development one."""
    if config.get("IS_PRODUCTION") and config.get("DATA_KEY") in (None, "", DEFAULT_DATA_KEY):
        raise RuntimeError("Refusing to start in production without a data key: set "
                           "PORTAL_DATA_KEY (base64 of 32 random bytes) to encrypt resident "
                           "ID numbers.")
    try:
        keyring_from_config(config)
    except DataKeyError as error:
        raise RuntimeError(str(error)) from None


def keyring():
    """Return the keyring of the current app (built once per app and key setting)."""
    config = current_app.config
    setting = (config.get("DATA_KEY"), config.get("DATA_KEY_OLD"))
    cached = current_app.extensions.get("data_keyring")
    if cached is None or cached[0] != setting:
        cached = (setting, keyring_from_config(config))
        current_app.extensions["data_keyring"] = cached
    return cached[1]
