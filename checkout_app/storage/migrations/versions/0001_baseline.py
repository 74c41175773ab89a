"""The schema of release 0.1.0, the last one made by ``create_all`` before migrations.

A database that release made has no ``alembic_version`` table, and may lack the tables added
after it first started (releases before migrations created missing tables at each start), so
this revision creates only the tables that are missing. The definitions are frozen copies, not
imports of ``storage/tables.py``: a later change to the models must come with a revision of its
own, never rewrite this one.

Revision ID: 0001_baseline
Created: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _tables() -> list:
    """(name, columns and constraints, table options, indexed columns) in creation order."""
    return [
        (
            "products",
            [
                sa.Column("sku", sa.String(), primary_key=True),
                sa.Column("name_ko", sa.String(), nullable=False),
                sa.Column("name_en", sa.String(), nullable=False),
                sa.Column("price", sa.Integer(), nullable=False),
                sa.Column("class_name", sa.String(), nullable=False),
                sa.Column("active", sa.Boolean(), nullable=False),
                sa.Column("updated_at", TIMESTAMP, nullable=False),
                sa.CheckConstraint("price >= 0", name="ck_products_price_not_negative"),
                sa.UniqueConstraint("class_name"),
            ],
            {},
            [],
        ),
        (
            "product_barcodes",
            [
                sa.Column("barcode", sa.String(), primary_key=True),
                sa.Column("sku", sa.String(), nullable=False),
                sa.Column("position", sa.Integer(), nullable=False),
                sa.ForeignKeyConstraint(["sku"], ["products.sku"], ondelete="CASCADE"),
            ],
            {},
            ["sku"],
        ),
        (
            "product_photos",
            [
                sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                sa.Column("sku", sa.String(), nullable=False),
                sa.Column("created_at", TIMESTAMP, nullable=False),
                sa.Column("photo_jpeg", sa.LargeBinary(), nullable=False),
                sa.Column("encoder", sa.String(), nullable=False),
                sa.Column("colour", sa.LargeBinary(), nullable=False),
                sa.Column("trunk", sa.LargeBinary(), nullable=False),
                sa.Column("words", sa.Text(), nullable=False),
                sa.ForeignKeyConstraint(["sku"], ["products.sku"], ondelete="CASCADE"),
            ],
            {},
            ["sku"],
        ),
        (
            "transactions",
            [
                sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                sa.Column("checkout_id", sa.String(), nullable=False),
                sa.Column("created_at", TIMESTAMP, nullable=False),
                sa.Column("total", sa.Integer(), nullable=False),
                sa.Column("currency", sa.String(3), nullable=False),
                sa.Column("paid_by_person_id", sa.String(), nullable=True),
                sa.Column("paid_by_name", sa.String(), nullable=True),
                sa.Column("status", sa.String(20), nullable=False),
                sa.Column("receipt_text", sa.Text(), nullable=False),
                sa.CheckConstraint("total >= 0", name="ck_transactions_total_not_negative"),
                sa.UniqueConstraint("checkout_id"),
            ],
            {},
            ["created_at"],
        ),
        (
            "transaction_lines",
            [
                sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                sa.Column("transaction_id", sa.Integer(), nullable=False),
                sa.Column("position", sa.Integer(), nullable=False),
                sa.Column("sku", sa.String(), nullable=False),
                sa.Column("name", sa.String(), nullable=False),
                sa.Column("qty", sa.Integer(), nullable=False),
                sa.Column("unit_price", sa.Integer(), nullable=False),
                sa.Column("line_total", sa.Integer(), nullable=False),
                sa.CheckConstraint("qty > 0", name="ck_transaction_lines_qty_positive"),
                sa.CheckConstraint(
                    "unit_price >= 0", name="ck_transaction_lines_price_not_negative"
                ),
                sa.CheckConstraint(
                    "line_total = qty * unit_price", name="ck_transaction_lines_total"
                ),
                sa.ForeignKeyConstraint(
                    ["transaction_id"], ["transactions.id"], ondelete="CASCADE"
                ),
            ],
            {},
            ["transaction_id"],
        ),
        (
            "pending_payments",
            [
                sa.Column("checkout_id", sa.String(), primary_key=True),
                sa.Column("started_at", TIMESTAMP, nullable=False),
                sa.Column("total", sa.Integer(), nullable=False),
                sa.Column("paid_by_name", sa.String(), nullable=False),
                sa.Column("summary", sa.Text(), nullable=False),
            ],
            {},
            [],
        ),
        (
            "count_overrides",
            [
                sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                sa.Column("created_at", TIMESTAMP, nullable=False),
                sa.Column("sku", sa.String(), nullable=False),
                sa.Column("name", sa.String(), nullable=False),
                sa.Column("charged_qty", sa.Integer(), nullable=False),
                sa.Column("camera_qty", sa.Integer(), nullable=False),
                sa.Column("frame_jpeg", sa.LargeBinary(), nullable=True),
                sa.CheckConstraint(
                    "charged_qty >= 0", name="ck_count_overrides_charged_not_negative"
                ),
                sa.CheckConstraint(
                    "camera_qty > charged_qty", name="ck_count_overrides_camera_saw_more"
                ),
            ],
            {},
            ["created_at"],
        ),
        (
            "face_people",
            [
                sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                sa.Column("display_name", sa.String(), nullable=False),
                sa.Column("member_id", sa.String(), nullable=True),
                sa.Column("created_at", TIMESTAMP, nullable=False),
                sa.Column("consent_at", TIMESTAMP, nullable=False),
                sa.UniqueConstraint("display_name"),
                sa.UniqueConstraint("member_id"),
            ],
            {"sqlite_autoincrement": True},
            [],
        ),
        (
            "face_templates",
            [
                sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                sa.Column("person_id", sa.Integer(), nullable=False),
                sa.Column("label", sa.String(), nullable=False),
                sa.Column("source", sa.String(), nullable=False),
                sa.Column("embedder", sa.String(), nullable=False),
                sa.Column("embedding_encrypted", sa.LargeBinary(), nullable=False),
                sa.Column("created_at", TIMESTAMP, nullable=False),
                sa.ForeignKeyConstraint(["person_id"], ["face_people.id"], ondelete="CASCADE"),
            ],
            {},
            ["person_id"],
        ),
    ]


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    for name, columns, options, indexed in _tables():
        if name in existing:
            continue
        op.create_table(name, *columns, **options)
        for column in indexed:
            op.create_index(f"ix_{name}_{column}", name, [column])
