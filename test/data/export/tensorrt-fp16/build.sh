#!/bin/sh
# Builds the TensorRT 8.2 engine on the device: NVIDIA Jetson TX2, Pascal GPU with 256 CUDA cores, compute capability 6.2.
# Written by lithe. Engines are specific to the GPU and the TensorRT version, so run it there;
# set TRTEXEC if trtexec is not at its JetPack place.
set -eu
cd "$(dirname "$0")"
TRTEXEC="${TRTEXEC:-/usr/src/tensorrt/bin/trtexec}"
"$TRTEXEC" --onnx=model.onnx --minShapes=images:1x3x64x64 --optShapes=images:1x3x64x64 --maxShapes=images:1x3x64x64 --fp16 --workspace=1024 --saveEngine=model_fp16.engine
