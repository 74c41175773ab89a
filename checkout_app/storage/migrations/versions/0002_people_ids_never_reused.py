"""Person ids are never given again on SQLite files made before AUTOINCREMENT.

Releases before 0.1.0's trust fixes created ``face_people`` without AUTOINCREMENT, so SQLite gave
a deleted person's id to the next person enrolled, and an old sale's ``paid_by_person_id`` came
to point at them. The table is rebuilt with AUTOINCREMENT, and SQLite's counter starts above
every id a person or a sale has used. PostgreSQL's sequences never reuse an id: nothing to do.

Revision ID: 0002_people_ids_never_reused
Revises: 0001_baseline
Created: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0002_people_ids_never_reused"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    table_sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'face_people'"
    ).scalar()
    if "AUTOINCREMENT" not in table_sql.upper():
        # storage.schema turns foreign keys off around an upgrade: dropping the old table
        # would otherwise delete every template with it (ON DELETE CASCADE).
        with op.batch_alter_table(
            "face_people", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
    highest_used = bind.exec_driver_sql(
        "SELECT max(coalesce((SELECT max(id) FROM face_people), 0),"
        " coalesce((SELECT max(CAST(paid_by_person_id AS INTEGER)) FROM transactions), 0))"
    ).scalar()
    bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'face_people'")
    bind.exec_driver_sql(
        "INSERT INTO sqlite_sequence (name, seq) VALUES ('face_people', ?)", (highest_used,)
    )
