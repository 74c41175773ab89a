#!/usr/bin/env bash
# One-time setup of a Jetson Nano for the checkout runtime (route A: stock JetPack 4.6.x,
# Python 3.6, headless). Run it on the Nano, from the copied bundle or the repository:
#
#   jetson/setup.sh                      # packages + checks
#   jetson/setup.sh --services BUNDLE [SOURCE]
#                                        # also install the systemd units: performance mode at
#                                        # boot and the headless checkout on camera SOURCE (0)
#
# What it installs: JetPack's own TensorRT Python bindings and OpenCV (apt), numpy 1.19.4 and
# pycuda 2021.1 for Python 3.6 (pip, --user). numpy 1.19.5, the newest for Python 3.6, dies with
# "Illegal instruction" on the Nano's Cortex-A57 (OpenBLAS core detection), hence the pin.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-python3}

die() {
    echo "setup.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 [--services BUNDLE [SOURCE]]" >&2
    exit 2
}

services_bundle=""
services_source="0"
if [[ $# -gt 0 ]]; then
    [[ $1 == --services && $# -ge 2 && $# -le 3 ]] || usage
    services_bundle=$(cd "$2" && pwd) || die "no bundle folder at $2"
    services_source=${3:-0}
fi

if [[ ! -f /etc/nv_tegra_release ]]; then
    die "this is not a Jetson (no /etc/nv_tegra_release); on a desktop use pip install -e ."
fi
release=$(head -n 1 /etc/nv_tegra_release)
echo "L4T: $release"
if [[ $release != *"R32"* ]]; then
    echo "warning: not L4T R32 (JetPack 4.x); the versions pinned below are for JetPack 4.6" >&2
fi

sudo apt-get update
# python3-libnvinfer: TensorRT's Python bindings; libopencv-python: JetPack's OpenCV 4.1.1 (with
# GStreamer, which the CSI camera needs; pip's opencv-python has no GStreamer on aarch64).
sudo apt-get install -y python3-pip python3-dev python3-libnvinfer libopencv-python

# pycuda compiles against CUDA: nvcc and the headers must be found.
export PATH="/usr/local/cuda/bin:$PATH"
export CPATH="/usr/local/cuda/include${CPATH:+:$CPATH}"
"$python" -m pip install --user --upgrade "pip<22"
"$python" -m pip install --user "numpy==1.19.4" "pycuda==2021.1"

"$python" - <<'EOF'
import cv2
import numpy
import pycuda.driver as cuda
import tensorrt

cuda.init()
device = cuda.Device(0)
print("numpy", numpy.__version__, "| OpenCV", cv2.__version__, "| TensorRT", tensorrt.__version__)
print("GPU", device.name(), "SM %d.%d" % device.compute_capability())
EOF
[[ -x /usr/src/tensorrt/bin/trtexec ]] || die "trtexec missing: sudo apt-get install tensorrt"

# The camera devices belong to the video group.
if ! id -nG "$USER" | grep -qw video; then
    sudo usermod -aG video "$USER"
    echo "added $USER to the video group: log out and in again"
fi

if [[ -n $services_bundle ]]; then
    units=/etc/systemd/system
    sudo install -m 0644 "$here/systemd/checkout-performance.service" "$units/"
    sed -e "s|@USER@|$USER|g" -e "s|@JETSON_DIR@|$here|g" -e "s|@BUNDLE@|$services_bundle|g" \
        -e "s|@SOURCE@|$services_source|g" "$here/systemd/checkout-edge.service" |
        sudo tee "$units/checkout-edge.service" >/dev/null
    sudo systemctl daemon-reload
    sudo systemctl enable --now checkout-performance.service
    sudo systemctl enable checkout-edge.service
    echo "installed: checkout-performance (nvpmodel -m 0 + jetson_clocks) and checkout-edge"
    echo "start now: sudo systemctl start checkout-edge; follow: journalctl -fu checkout-edge"
fi
echo "next: jetson/build_engines.sh BUNDLE, then python3 -m checkout_edge.run --bundle BUNDLE"
