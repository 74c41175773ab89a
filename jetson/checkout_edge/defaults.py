"""Detection thresholds every runtime takes from here: the desktop detectors (ultralytics,
onnxruntime, TensorRT), the Nano runtime, the cart tracker on both, and the kiosk's settings.

One home per number, so no runtime drifts from the others. Python 3.6 (the Nano's), no imports.
"""

# Detections below this confidence are not counted; the tracker treats them as not seen.
MIN_CONFIDENCE = 0.4
# What staff and the command line may set it to: at 0 or 1 every box or none would count.
MIN_CONFIDENCE_RANGE = (0.05, 0.95)
# Class-agnostic NMS: one physical item never counts twice because the model hesitates between
# two look-alike flavours.
NMS_IOU = 0.5
