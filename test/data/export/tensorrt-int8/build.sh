#!/bin/sh
# Builds the TensorRT 8.2 engine on the device: NVIDIA Jetson TX2, Pascal GPU with 256 CUDA cores, compute capability 6.2.
# Written by lithe. Engines are specific to the GPU and the TensorRT version, so run it there;
# set TRTEXEC if trtexec is not at its JetPack place.
# ./build.sh       explicit quantization: the Q/DQ model (model.onnx), the scales lithe calibrated
# ./build.sh calib  implicit quantization: the float model with calibration.cache (same scales)
set -eu
cd "$(dirname "$0")"
TRTEXEC="${TRTEXEC:-/usr/src/tensorrt/bin/trtexec}"
MODE="${1:-qdq}"
case "$MODE" in
  qdq) "$TRTEXEC" --onnx=model.onnx --minShapes=images:1x3x64x64 --optShapes=images:1x3x64x64 --maxShapes=images:1x3x64x64 --int8 --fp16 --workspace=1024 --saveEngine=model_int8.engine ;;
  calib) "$TRTEXEC" --onnx=model_float.onnx --minShapes=images:1x3x64x64 --optShapes=images:1x3x64x64 --maxShapes=images:1x3x64x64 --int8 --fp16 --calib=calibration.cache --workspace=1024 --saveEngine=model_int8_calib.engine ;;
  *) echo "usage: $0 [qdq|calib]" >&2; exit 2 ;;
esac
