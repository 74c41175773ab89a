"""The store records which face key its kiosks share (``face_key``, one row), so a kiosk holding
another key keeps face pay off with a clear message instead of mixing two keys in one registry.

The row is written by the first kiosk that opens the registry after this revision, and only
with a key that decrypts the templates already stored.

Revision ID: 0004_the_store_face_key
Revises: 0003_sales_record_their_kiosk
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_the_store_face_key"
down_revision = "0003_sales_record_their_kiosk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "face_key",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
