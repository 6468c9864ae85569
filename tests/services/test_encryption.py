"""Resident ID numbers at rest: encrypted column, keyed hash, search, reveal, the rekey command."""
import base64
import os

import pytest
from sqlalchemy import func, select, text

from app.config import DEFAULT_DATA_KEY
from app.customers import services
from app.customers.services_rekey import rekey_id_numbers
from app.encryption import DataKeyError, Keyring, keyring, parse_key
from app.models import AuditEvent, Customer

from ..customer_book import person

ID_NUMBER = "310101197503140117"
NEW_KEY = base64.b64encode(os.urandom(32)).decode()


def stored(db, customer_id):
    """Return the customer's row exactly as the database holds it."""
    return db.session.execute(text("SELECT * FROM customer WHERE id = :id"),
                              {"id": customer_id}).mappings().one()


def test_the_database_holds_no_clear_id_number(db, world, make_customer):
    customer = make_customer(**person(maintainer=world["maint_a"], id_number=ID_NUMBER))
    row = stored(db, customer.id)
    assert "id_number" not in row
    assert not any(ID_NUMBER in str(value) for value in row.values())
    assert not any(ID_NUMBER[6:14] in str(value) for value in row.values())  # not even the birth
    assert row["id_number_enc"].startswith(f"v1:{keyring().current.key_id}:")
    assert len(row["id_number_hash"]) == 64
    assert keyring().decrypt(row["id_number_enc"]) == ID_NUMBER


def test_equal_numbers_encrypt_differently_but_hash_the_same():
    keys = Keyring(parse_key(DEFAULT_DATA_KEY))
    first, second = keys.sealed(ID_NUMBER), keys.sealed(ID_NUMBER)
    assert first[0] != second[0]  # a fresh nonce every time
    assert first[1] == second[1]
    assert keys.decrypt(first[0]) == keys.decrypt(second[0]) == ID_NUMBER


def test_a_value_from_another_key_or_tampered_is_a_clear_error():
    mine = Keyring(parse_key(DEFAULT_DATA_KEY))
    theirs = Keyring(parse_key(NEW_KEY))
    with pytest.raises(DataKeyError, match="does not hold"):
        theirs.decrypt(mine.encrypt(ID_NUMBER))
    version, key_id, body = mine.encrypt(ID_NUMBER).split(":")
    flipped = base64.b64encode(bytes([base64.b64decode(body)[0] ^ 1])
                               + base64.b64decode(body)[1:]).decode()
    with pytest.raises(DataKeyError, match="damaged"):
        mine.decrypt(f"{version}:{key_id}:{flipped}")


@pytest.mark.parametrize("text_", ["", "abc", base64.b64encode(b"short").decode(), "%%%"])
def test_a_malformed_key_is_refused_with_how_to_make_one(text_):
    with pytest.raises(DataKeyError, match="32 random bytes in base64"):
        parse_key(text_)


def test_search_by_the_full_id_number_uses_the_hash(world, make_customer):
    wanted = make_customer(**person(maintainer=world["maint_a"], id_number="11010519491231002X"))
    make_customer(**person(maintainer=world["maint_a"]))
    for query in ("11010519491231002X", "11010519491231002x", " 11010519491231002X "):
        page = services.list_customers(world["maint_a"], q=query)
        assert [c.id for c in page.customers] == [wanted.id]
        assert page.search_mode == "id_number"


def test_search_by_id_number_stays_in_scope(world, make_customer):
    make_customer(**person(maintainer=world["maint_b"], id_number=ID_NUMBER))
    assert services.list_customers(world["maint_a"], q=ID_NUMBER).customers == []


def test_reveal_shows_the_decrypted_number(world, make_customer):
    customer = make_customer(**person(maintainer=world["maint_a"], id_number=ID_NUMBER))
    _customer, value = services.reveal_personal_data(
        world["maint_a"], customer.id, "id_number", "Counter identity check")
    assert value == ID_NUMBER


# --- rekey ---------------------------------------------------------------------------------


@pytest.fixture
def three(world, make_customer):
    """Three customers written under the development key."""
    return [make_customer(**person(maintainer=world["maint_a"])) for _ in range(3)]


def test_rekey_round_trip_through_the_command(app, db, runner, three, monkeypatch):
    clear = {c.id: c.id_number for c in three}
    monkeypatch.setitem(app.config, "DATA_KEY", NEW_KEY)
    result = runner.invoke(args=["customers", "rekey", "--old-key", DEFAULT_DATA_KEY,
                                 "--batch", "2"])
    assert result.exit_code == 0, result.output
    new = Keyring(parse_key(NEW_KEY))
    assert f"under key {new.current.key_id}" in result.output
    for customer_id, number in clear.items():
        row = stored(db, customer_id)
        assert row["id_number_enc"].startswith(f"v1:{new.current.key_id}:")
        assert new.decrypt(row["id_number_enc"]) == number
        assert row["id_number_hash"] == new.digest(number)
    page = services.list_customers(three[0].maintainer, q=clear[three[0].id])
    assert [c.id for c in page.customers] == [three[0].id]
    again = runner.invoke(args=["customers", "rekey"])  # nothing left: no old key needed
    assert again.exit_code == 0, again.output
    assert "Re-encrypted 0 ID numbers" in again.output
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "customers.rekeyed").order_by(AuditEvent.id.desc())).detail[
            "rekeyed"] == 0


def test_rekey_with_the_wrong_old_key_fails_clearly_and_changes_nothing(
        app, db, runner, three, monkeypatch):
    before = {c.id: stored(db, c.id)["id_number_enc"] for c in three}
    monkeypatch.setitem(app.config, "DATA_KEY", NEW_KEY)
    wrong = base64.b64encode(os.urandom(32)).decode()
    result = runner.invoke(args=["customers", "rekey", "--old-key", wrong])
    assert result.exit_code == 1
    assert "neither the new key nor the old key opens" in result.output
    assert {c.id: stored(db, c.id)["id_number_enc"] for c in three} == before


def test_rekey_refuses_a_malformed_old_key(app, runner, three, monkeypatch):
    monkeypatch.setitem(app.config, "DATA_KEY", NEW_KEY)
    result = runner.invoke(args=["customers", "rekey", "--old-key", "not-a-key"])
    assert result.exit_code == 1
    assert "The old key (--old-key or PORTAL_DATA_KEY_OLD) must be 32 random bytes" in (
        result.output)


def test_a_stopped_rekey_resumes_where_it_was(app, db, three, monkeypatch):
    monkeypatch.setitem(app.config, "DATA_KEY", NEW_KEY)
    new, old = parse_key(NEW_KEY), parse_key(DEFAULT_DATA_KEY)

    def stop(_count):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rekey_id_numbers(new, old, batch=1, progress=stop)
    key_id = Keyring(new).current.key_id
    moved = [c.id for c in three if stored(db, c.id)["id_number_enc"].split(":")[1] == key_id]
    assert len(moved) == 1  # the first batch was committed before the stop
    result = rekey_id_numbers(new, old, batch=1)
    total = db.session.scalar(select(func.count()).select_from(Customer))
    assert (result.rekeyed, result.already) == (total - 1, 1)
    assert all(stored(db, c.id)["id_number_enc"].split(":")[1] == key_id for c in three)


def test_the_lookup_hash_is_hmac_sha256_under_a_key_derived_from_the_data_key():
    import hashlib
    import hmac

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = parse_key(DEFAULT_DATA_KEY)
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"pcrm lookup hash").derive(key)
    expected = hmac.new(derived, ID_NUMBER.encode(), hashlib.sha256).hexdigest()
    keys = Keyring(key)
    assert keys.digest(ID_NUMBER) == keys.digest(ID_NUMBER) == expected
    assert keys.digest("11010519491231002X") != expected
