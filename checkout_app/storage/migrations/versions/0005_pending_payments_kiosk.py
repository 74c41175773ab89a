"""Each payment in progress records which kiosk makes it (``pending_payments.kiosk_id``), so a
kiosk lists only its own interrupted payments at start, never another kiosk's payment that is
under way, and staff marking them as seen there close nothing of another kiosk's.

Entries written before this revision keep no kiosk (NULL) and are listed by every kiosk.

Revision ID: 0005_pending_payments_kiosk (alembic keeps at most 32 characters)
Revises: 0004_the_store_face_key
Created: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_pending_payments_kiosk"
down_revision = "0004_the_store_face_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pending_payments", sa.Column("kiosk_id", sa.String(length=40), nullable=True))
