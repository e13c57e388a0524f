#!/bin/sh
# Converts model.onnx into model.ms with MindSpore Lite 2.x's converter_lite (set CONVERTER_LITE if it is not on PATH).
set -eu
cd "$(dirname "$0")"
CONVERTER_LITE="${CONVERTER_LITE:-converter_lite}"
"$CONVERTER_LITE" --fmk=ONNX --modelFile=model.onnx --outputFile=model --inputShape="images:1,3,64,64" --fp16=on
