"""Unknown items staff named at the counter are kept for review (``named_items``), with the
counter frame, where the product stood among the suggestions and whether the kiosk learned it.

A new, empty table: nothing to copy.

Revision ID: 0007_named_items
Revises: 0006_product_photo_keypoints
Created: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_named_items"
down_revision = "0006_product_photo_keypoints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "named_items",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sku", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("suggestion_rank", sa.Integer(), nullable=True),
        sa.Column("learned", sa.Boolean(), nullable=False),
        sa.Column("frame_jpeg", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "suggestion_rank IS NULL OR suggestion_rank >= 1", name="ck_named_items_rank_from_one"
        ),
    )
    op.create_index("ix_named_items_created_at", "named_items", ["created_at"])
