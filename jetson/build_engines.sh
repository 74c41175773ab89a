#!/usr/bin/env bash
# Build the TensorRT engines of an exported bundle on this Jetson, with trtexec.
#
#   jetson/build_engines.sh BUNDLE [--fp32]
#
# Engines are named <onnx-sha12>_trt<TensorRT version>_<precision>.engine and get a JSON sidecar
# (TensorRT version, GPU, compute capability, optimisation profile). Only missing or stale
# engines are built, so running it again is cheap: the kiosk's systemd unit runs it before every
# start, which rebuilds the engines after a JetPack update or when a bundle from another board
# is copied in. Engines nothing uses any more are deleted. The decisions are made by
# `python3 -m checkout_edge.engines` (tested on the desktop); this script only runs trtexec.
#
# Environment: TRTEXEC (default /usr/src/tensorrt/bin/trtexec), PYTHON (default python3),
# WORKSPACE_MB (builder scratch memory, default 1024: the Nano's 4 GB are shared with the CPU).
set -euo pipefail

die() {
    echo "build_engines.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 BUNDLE [--fp32]" >&2
    exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
bundle=$1
precision=fp16
if [[ $# -eq 2 ]]; then
    [[ $2 == --fp32 ]] || usage
    precision=fp32
fi
[[ -d $bundle ]] || die "no bundle folder at $bundle"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
trtexec=${TRTEXEC:-/usr/src/tensorrt/bin/trtexec}
python=${PYTHON:-python3}
workspace_mb=${WORKSPACE_MB:-1024}
# checkout_edge sits next to this script, in the repository and in an exported bundle alike.
export PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}"

[[ -x $trtexec ]] || die "trtexec not found at $trtexec (JetPack: sudo apt-get install tensorrt)"

# TensorRT 8.2 takes --workspace (MB); 8.4 deprecated it for --memPoolSize, 10 removed it.
if "$trtexec" --help 2>&1 | grep -q -- "--memPoolSize"; then
    workspace_flag="--memPoolSize=workspace:${workspace_mb}M"
else
    workspace_flag="--workspace=${workspace_mb}"
fi
precision_flags=()
[[ $precision == fp16 ]] && precision_flags=(--fp16)

plan=$("$python" -m checkout_edge.engines --precision "$precision" plan "$bundle") ||
    die "cannot plan the engines of $bundle (see the error above)"
mkdir -p "$bundle/engines"

built=0
while IFS=$'\t' read -r -a fields; do
    [[ ${#fields[@]} -gt 0 ]] || continue
    action=${fields[0]}
    case $action in
    keep)
        echo "up to date: $(basename "${fields[2]}") ($(basename "${fields[1]}"))"
        ;;
    remove)
        echo "removing unused ${fields[1]}"
        rm -f -- "${fields[1]}"
        ;;
    build)
        onnx=${fields[1]}
        engine=${fields[2]}
        shape_flags=("${fields[@]:4}")
        log="$engine.log"
        echo "building $(basename "$engine") from $(basename "$onnx") (${fields[3]}); this takes minutes"
        rm -f -- "$engine" "${engine%.engine}.json"
        # Written under a temporary name: an interrupted build never leaves a truncated engine
        # with a valid name behind.
        if ! "$trtexec" --onnx="$onnx" --saveEngine="$engine.part" "${precision_flags[@]}" \
            "$workspace_flag" "${shape_flags[@]}" >"$log" 2>&1; then
            tail -n 20 "$log" >&2
            rm -f -- "$engine.part"
            die "trtexec failed for $onnx (full log: $log)"
        fi
        mv -- "$engine.part" "$engine"
        rm -f -- "$log"
        "$python" -m checkout_edge.engines --precision "$precision" record \
            --onnx "$onnx" --engine "$engine"
        built=$((built + 1))
        ;;
    *)
        die "unexpected plan line: ${fields[*]}"
        ;;
    esac
done <<<"$plan"

"$python" -m checkout_edge.engines --precision "$precision" check "$bundle" ||
    die "some engines are still not usable"
echo "engines ready in $bundle/engines ($built built)"
