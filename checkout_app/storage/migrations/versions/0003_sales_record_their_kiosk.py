"""Each sale records which kiosk made it (``transactions.kiosk_id``), for store reports.

Sales recorded before this revision keep no kiosk (NULL): reports list them as made by an
unknown kiosk rather than guess.

Revision ID: 0003_sales_record_their_kiosk
Revises: 0002_people_ids_never_reused
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_sales_record_their_kiosk"
down_revision = "0002_people_ids_never_reused"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("transactions", sa.Column("kiosk_id", sa.String(length=40), nullable=True))
