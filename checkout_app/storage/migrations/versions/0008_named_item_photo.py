"""A named item the kiosk learned from keeps the id of the photo it learned
(``named_items.photo_id``), so staff can undo the learning from the Review page.

Items named before this revision have none (NULL): their learning cannot be undone one by one
(forgetting the product's photos still can). A batch operation, because SQLite adds a foreign
key only by copying the table.

Revision ID: 0008_named_item_photo
Revises: 0007_named_items
Created: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_named_item_photo"
down_revision = "0007_named_items"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("named_items") as batch:
        batch.add_column(sa.Column("photo_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_named_items_photo_id", "product_photos", ["photo_id"], ["id"], ondelete="SET NULL"
        )
