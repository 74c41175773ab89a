"""Make ``facenet_cv2dnn_reference.npz``: FaceNet embeddings of the shared face photos, computed
by OpenCV's own run of ``graph_final.pb`` (``cv2.dnn``), once, with an OpenCV that can still
read TensorFlow graphs (5.0.0.93; 4.10-4.14 assert on this graph, 5.1 has no importer).

The tests compare the protobuf conversion against this file, whatever OpenCV is installed.
It stores, per face: the image (relative to the faces folder), the MTCNN box the crop was cut
from (``faces.crop.extract_crop``, default margin) and the 512-d embedding; the test cuts the
same crops from the shared photos, so no face image is copied into the repository.

Made with (from the repository root, with the project's venv)::

    .venv/bin/pip install --no-deps --target /tmp/cv50 opencv-python==5.0.0.93
    PYTHONPATH=/tmp/cv50 .venv/bin/python tests/faces/make_facenet_reference.py \\
        ../shared/data/faces tests/faces/facenet_cv2dnn_reference.npz
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import numpy as np

REFERENCE_PATH = Path(__file__).with_name("facenet_cv2dnn_reference.npz")
# Every photo of a single face or a few; the group photo's faces are too small to matter here.
PHOTO_FOLDERS = ("train", "test", "unknown")


def photos(faces_dir: Path) -> list[Path]:
    """The shared photos the reference covers, in a stable order."""
    return sorted(
        p
        for folder in PHOTO_FOLDERS
        for p in (faces_dir / folder).rglob("*")
        if p.suffix.lower() in (".jpg", ".jpeg", ".png")
    )


def reference_crop(faces_dir: Path, image: str, box: np.ndarray) -> np.ndarray:
    """The RGB 160×160 crop the reference embedding was made from."""
    import cv2

    from checkout_app.faces.crop import extract_crop
    from checkout_app.vision.image_files import load_image_bgr

    rgb = cv2.cvtColor(load_image_bgr(faces_dir / image), cv2.COLOR_BGR2RGB)
    return extract_crop(rgb, tuple(float(v) for v in box))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("faces_dir", type=Path, help="the shared faces folder")
    parser.add_argument("out", type=Path, nargs="?", default=REFERENCE_PATH)
    args = parser.parse_args(argv)

    import cv2
    import torch

    from checkout_app.backends.facenet_convert import locate_facenet_graph
    from checkout_app.backends.facenet_cv2dnn import Cv2DnnFaceEmbedder
    from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
    from checkout_app.models_meta import file_sha256
    from checkout_app.vision.image_files import load_image_bgr

    torch.set_num_threads(1)
    detector, embedder = MtcnnFaceDetector(), Cv2DnnFaceEmbedder()
    images, boxes, crops = [], [], []
    for path in photos(args.faces_dir):
        for face in detector.detect(load_image_bgr(path)):
            # Two decimals is what the file keeps: cut the crop from exactly that box.
            box = np.round(np.asarray(face.box, np.float64), 2)
            image = path.relative_to(args.faces_dir).as_posix()
            images.append(image)
            boxes.append(box)
            crops.append(reference_crop(args.faces_dir, image, box))
    embeddings = embedder.embed(crops)
    meta = {
        "made_by": "tests/faces/make_facenet_reference.py",
        "made_on": datetime.date.today().isoformat(),
        "opencv": cv2.__version__,
        "graph_sha256": file_sha256(locate_facenet_graph()),
        "faces": len(images),
        "photos": len(set(images)),
    }
    np.savez_compressed(
        args.out,
        images=np.asarray(images),
        boxes=np.asarray(boxes, np.float64),
        embeddings=embeddings.astype(np.float32),
        meta=np.asarray(json.dumps(meta)),
    )
    print(f"wrote {args.out}: {json.dumps(meta)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main())
