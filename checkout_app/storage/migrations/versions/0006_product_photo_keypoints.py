"""Taught product photos keep their keypoints (``product_photos.local_features``), so the gallery
can verify a candidate by its print (``products.local_features``) without extracting them again
at every start.

Photos stored before this revision have none (NULL); their encoder's name is an older one, so
the kiosk encodes them again once at its next start, keypoints included.

Revision ID: 0006_product_photo_keypoints (alembic keeps at most 32 characters)
Revises: 0005_pending_payments_kiosk
Created: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_product_photo_keypoints"
down_revision = "0005_pending_payments_kiosk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("product_photos", sa.Column("local_features", sa.LargeBinary(), nullable=True))
