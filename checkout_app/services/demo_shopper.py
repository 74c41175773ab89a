"""Register the demo shopper (the public-domain astronaut photo) so face pay works without a webcam.

Goes through the normal pipeline and registry, like staff registering anyone; only in demo mode.
"""

from __future__ import annotations

import logging

from checkout_app.camera.demo_face_source import DEMO_SHOPPER_NAME, demo_enrollment_images
from checkout_app.faces.pipeline import FacePipeline
from checkout_app.faces.registry import FaceRegistry, NewTemplate, Person

log = logging.getLogger(__name__)


def ensure_demo_shopper(pipeline: FacePipeline, registry: FaceRegistry) -> Person:
    """The registered demo shopper, enrolled from the demo photo the first time."""
    for person in registry.people():
        if person.display_name == DEMO_SHOPPER_NAME:
            return person
    images = demo_enrollment_images()
    faces = [pipeline.enrollment_face(image, f"demo photo {i}") for i, image in enumerate(images)]
    embeddings = pipeline.embedder.embed([face.crop for face in faces])
    templates = [
        NewTemplate(embedding, f"demo-{i}", "demo photo") for i, embedding in enumerate(embeddings)
    ]
    # Consent: the demo persona is a public-domain photo, not a real shopper of this store.
    person = registry.enroll(DEMO_SHOPPER_NAME, templates, consent=True, member_id=None)
    log.info("registered the demo shopper %r", DEMO_SHOPPER_NAME)
    return person
