"""Looks staff said are no product: a product photo without a SKU (``product_photos.sku`` NULL),
learned when staff set an unknown item aside as "not a product", so the next one like it is
ignored; the setting aside is kept for review as a named item without a SKU or name
(``named_items.sku`` and ``name`` NULL), whose learning staff can undo.

Every row is kept as it is. A batch operation: SQLite changes a column only by copying the table.

Revision ID: 0009_not_product_looks
Revises: 0008_named_item_photo
Created: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_not_product_looks"
down_revision = "0008_named_item_photo"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("product_photos") as batch:
        batch.alter_column("sku", existing_type=sa.String(), nullable=True)
    with op.batch_alter_table("named_items") as batch:
        batch.alter_column("sku", existing_type=sa.String(), nullable=True)
        batch.alter_column("name", existing_type=sa.String(), nullable=True)
