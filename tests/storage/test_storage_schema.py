"""Schema versions and migrations: a new database starts at the newest revision, the revisions
build exactly the models' schema, a database made by release 0.1.0 (before migrations) upgrades
without losing a row, and every start refuses a database at another version with the fix.

``data/release_0_1_0.sql`` is the dump of an SQLite file made by release 0.1.0's own code
(commit ff4db66, ``Base.metadata.create_all`` and rows of every table), so the upgrade is
tested against what that release really wrote, not against today's idea of it.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, Table, create_engine, inspect, select, text

from checkout_app.cli import main
from checkout_app.storage import schema
from checkout_app.storage.base import Base
from checkout_app.storage.db import (
    DatabaseError,
    close_database,
    connect,
    open_database,
    schema_status,
    upgrade_database,
)

RELEASE_0_1_0 = Path(__file__).with_name("data") / "release_0_1_0.sql"
HEAD = schema.head_revision()


def make_release_file(path: Path, *, people_ids_reused: bool = False) -> None:
    """The SQLite file release 0.1.0 made; ``people_ids_reused``: as releases before its trust
    fixes made ``face_people`` (no AUTOINCREMENT)."""
    sql = RELEASE_0_1_0.read_text()
    if people_ids_reused:
        lines = [line for line in sql.splitlines() if "sqlite_sequence" not in line]
        sql = "\n".join(lines).replace("PRIMARY KEY AUTOINCREMENT", "PRIMARY KEY")
    with sqlite3.connect(path) as connection:
        connection.executescript(sql)
    connection.close()


def all_rows(url: str) -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order, as column -> value."""
    engine = create_engine(url)
    metadata = MetaData()
    rows = {}
    with engine.connect() as connection:
        for name in sorted(inspect(connection).get_table_names()):
            if name == "alembic_version":
                continue
            table = Table(name, metadata, autoload_with=connection)
            key = list(table.primary_key.columns)
            query = select(table).order_by(*key)
            rows[name] = [dict(row._mapping) for row in connection.execute(query)]
    engine.dispose()
    return rows


def assert_every_row_kept(before: dict, after: dict) -> None:
    """Every table and row of ``before`` is in ``after`` with the same values; columns a later
    revision added (e.g. ``transactions.kiosk_id``) hold NULL in the old rows, and tables it
    added (e.g. ``face_key``) are empty."""
    assert set(before) <= set(after)
    assert all(not after[name] for name in set(after) - set(before))
    for name, old_rows in before.items():
        old_columns = set(old_rows[0]) if old_rows else set()
        kept = [{column: row[column] for column in old_columns} for row in after[name]]
        added = {value for row in after[name] for c, value in row.items() if c not in old_columns}
        assert kept == old_rows, name
        assert added <= {None}, name


def differences_from_models(url: str) -> list:
    """What Alembic's autogenerate finds between the database and the models (none: same)."""
    engine = connect(url)
    with engine.connect() as connection:
        found = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    return found


def test_a_new_database_starts_at_the_newest_revision(database_url):
    close_database(open_database(database_url))
    report = schema_status(database_url)
    assert (report.after.status, report.after.revision) == ("current", HEAD)


def test_the_revisions_build_exactly_the_models_schema(database_url):
    """A new database is made from the models (fast); running every revision from nothing must
    give the same tables, columns, keys and indexes, or the next revision starts from a lie."""
    report = upgrade_database_from_nothing(database_url)
    assert report.after.revision == HEAD
    assert differences_from_models(database_url) == []


def upgrade_database_from_nothing(url: str):
    engine = connect(url)
    state = schema.upgrade(engine)
    engine.dispose()
    return schema_status(url) if state.status == "current" else state


def test_release_0_1_0_is_refused_at_start_with_the_command_that_fixes_it(tmp_path):
    path = tmp_path / "checkout.db"
    make_release_file(path)
    url = f"sqlite:///{path}"
    with pytest.raises(DatabaseError) as refused:
        open_database(url)
    assert "from before schema versions" in str(refused.value)
    assert f"checkout-app --database-url '{url}' db upgrade" in str(refused.value)
    assert schema_status(url).after.status == "unversioned"


@pytest.mark.parametrize("people_ids_reused", [False, True])
def test_release_0_1_0_upgrades_without_losing_a_row(tmp_path, people_ids_reused):
    path = tmp_path / "checkout.db"
    make_release_file(path, people_ids_reused=people_ids_reused)
    url = f"sqlite:///{path}"
    before = all_rows(url)
    assert len(before) == 9 and all(before.values())  # every table of the dump holds rows

    report = upgrade_database(url)

    assert (report.before.status, report.after.revision) == ("unversioned", HEAD)
    assert_every_row_kept(before, all_rows(url))
    assert differences_from_models(url) == []
    assert all_rows(f"sqlite:///{report.backup}") == before  # the copy taken first
    assert report.backup.stat().st_mode & 0o077 == 0
    close_database(open_database(url))  # the kiosk starts again


def test_a_person_id_is_never_given_again_after_the_upgrade(tmp_path):
    """Release files without AUTOINCREMENT gave a deleted person's id to the next one enrolled;
    after the upgrade the next id is above every id a person or a sale has used."""
    path = tmp_path / "checkout.db"
    make_release_file(path, people_ids_reused=True)
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM face_templates WHERE person_id = 2")
        connection.execute("DELETE FROM face_people WHERE id = 2")  # Rose, who paid sales
    connection.close()
    url = f"sqlite:///{path}"
    upgrade_database(url)

    sessions = open_database(url)
    with sessions.begin() as session:
        session.execute(
            text(
                "INSERT INTO face_people (display_name, created_at, consent_at) "
                "VALUES ('Next', '2026-12-05 10:00:00', '2026-12-05 10:00:00')"
            )
        )
        new_id = session.execute(text("SELECT id FROM face_people WHERE display_name = 'Next'"))
        assert new_id.scalar() == 3
    close_database(sessions)


def test_a_failed_upgrade_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "checkout.db"
    make_release_file(path, people_ids_reused=True)
    url = f"sqlite:///{path}"
    before = all_rows(url)
    with sqlite3.connect(path) as connection:
        table_sql_before = connection.execute("SELECT sql FROM sqlite_master").fetchall()
    connection.close()

    def fail(_connection):
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(schema, "check_foreign_keys", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        upgrade_database(url)

    assert all_rows(url) == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT sql FROM sqlite_master").fetchall() == table_sql_before
    connection.close()
    assert schema_status(url).after.status == "unversioned"


def test_a_database_of_a_newer_release_is_refused(database_url):
    close_database(open_database(database_url))
    engine = connect(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()

    with pytest.raises(DatabaseError, match="made by a newer release of checkout-app"):
        open_database(database_url)
    report = upgrade_database(database_url)  # refuses to touch it
    assert (report.before.status, report.after.revision) == ("ahead", "0099_from_the_future")


def test_release_0_1_0_on_postgresql_upgrades_without_losing_a_row(tmp_path, postgres_url):
    """The release's schema (the baseline revision, which creates what create_all made) filled
    with the rows of the SQLite dump, without a version: as a store's server has it today."""
    engine = connect(postgres_url)
    schema.upgrade(engine, "0001_baseline")
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    release = tmp_path / "release.db"
    make_release_file(release)
    copy_rows(f"sqlite:///{release}", engine)
    engine.dispose()
    before = all_rows(postgres_url)

    with pytest.raises(DatabaseError, match="from before schema versions"):
        open_database(postgres_url)
    report = upgrade_database(postgres_url)

    assert (report.before.status, report.after.revision, report.backup) == (
        "unversioned",
        HEAD,
        None,
    )
    assert_every_row_kept(before, all_rows(postgres_url))
    assert differences_from_models(postgres_url) == []


def copy_rows(source_url: str, target_engine) -> None:
    source = create_engine(source_url)
    metadata = MetaData()
    with source.connect() as reader, target_engine.begin() as writer:
        released = set(inspect(reader).get_table_names())
        # Parents before children; the tables the release had (later revisions add others).
        tables = [t for t in Base.metadata.sorted_tables if t.name in released]
        for table in tables:
            rows = [dict(row._mapping) for row in reader.execute(text(f"SELECT * FROM {table}"))]
            target = Table(table.name, metadata, autoload_with=writer)
            if rows:
                writer.execute(target.insert(), rows)
        # Serial columns continue after the copied ids, as they would in a real database.
        for table in tables:
            if "id" in table.columns and table.columns["id"].autoincrement is True:
                writer.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
    source.dispose()


def test_kiosks_starting_together_on_a_new_server_database_all_start(postgres_url):
    """Four kiosks open one new PostgreSQL database at the same moment: one creates the
    tables, the others wait for it (an advisory lock) instead of failing on "already exists"."""
    failures = []
    start = threading.Barrier(4)

    def kiosk_start():
        start.wait()
        try:
            close_database(open_database(postgres_url))
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=kiosk_start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert schema_status(postgres_url).after.status == "current"


def test_db_commands_say_the_status_and_upgrade(tmp_path, capsys):
    path = tmp_path / "checkout.db"
    make_release_file(path)
    url = f"sqlite:///{path}"

    assert main(["--database-url", url, "db", "status"]) == 1
    assert "made by a release before schema versions" in capsys.readouterr().out
    assert main(["--database-url", url, "catalog", "list"]) == 2
    assert "db upgrade" in capsys.readouterr().err

    assert main(["--database-url", url, "db", "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"upgraded from before schema versions to {HEAD}" in out
    assert "before upgrading" in out

    assert main(["--database-url", url, "db", "upgrade"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["--database-url", url, "db", "status", "--json"]) == 0
    assert f'"revision": "{HEAD}"' in capsys.readouterr().out
    assert main(["--database-url", url, "catalog", "list"]) == 0


def test_people_survive_the_upgrade_with_their_templates(tmp_path):
    """Foreign keys are off while SQLite rebuilds face_people: with them on, dropping the old
    table would have deleted every template (ON DELETE CASCADE)."""
    path = tmp_path / "checkout.db"
    make_release_file(path, people_ids_reused=True)
    url = f"sqlite:///{path}"
    upgrade_database(url)
    with sqlite3.connect(path) as connection:
        per_person = connection.execute(
            "SELECT person_id, count(*) FROM face_templates GROUP BY person_id"
        ).fetchall()
    connection.close()
    assert per_person == [(1, 1), (2, 2)]


def test_taught_photos_and_named_items_survive_the_upgrade_to_looks_without_a_sku(tmp_path):
    """Revision 0009 lets a product photo and a named item have no SKU (a look staff said is
    no product); it copies both tables, keeping every row and the photo each naming learned."""
    path = tmp_path / "checkout.db"
    make_release_file(path)
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    schema.upgrade(engine, "0008_named_item_photo")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO products (sku, name_ko, name_en, price, class_name, active, "
                "updated_at) VALUES ('PEAR', '배', 'Pear', 900, 'taught:PEAR', 1, "
                "'2026-12-07 08:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO product_photos (id, sku, created_at, photo_jpeg, encoder, colour, "
                "trunk, words) VALUES (7, 'PEAR', '2026-12-07 09:00:00', x'ff', 'enc', x'00', "
                "x'00', '[]')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO named_items (created_at, sku, name, learned, photo_id) "
                "VALUES ('2026-12-07 09:01:00', 'PEAR', 'Pear', 1, 7)"
            )
        )
    before = all_rows(url)
    assert schema.upgrade(engine).status == "current"
    engine.dispose()
    after = all_rows(url)
    assert_every_row_kept(before, after)
    assert after["named_items"][0]["photo_id"] == 7
    assert not differences_from_models(url)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO product_photos (sku, created_at, photo_jpeg, encoder, colour, trunk, "
            "words) VALUES (NULL, '2026-12-07 09:02:00', x'ff', 'enc', x'00', x'00', '[]')"
        )
        connection.execute(
            "INSERT INTO named_items (created_at, sku, name, learned) "
            "VALUES ('2026-12-07 09:03:00', NULL, NULL, 0)"
        )
    connection.close()
