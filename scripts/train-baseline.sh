#!/bin/sh
# Trains the baseline detector (issue 5): full-width YOLOv3-tiny on the synthetic benchmark (seed 0, the
# default 2,000 train + 500 val images at 320 px), in two stages of SGD (Nesterov) with 1 warm-up epoch,
# cosine decay and EMA weights, at batch 16:
#   stage 1: 5 epochs from the zoo's seeded initial weights at lr 0.01 (it ran on a 16-core machine, where
#            lithe trains at 15 images/s; on 2 cores it takes about 35 minutes);
#   stage 2: 12 epochs from stage 1's model at lr 0.005 with a new shuffle seed;
# then the result is published as models/shapes-yolo.onnx: weights stored as float16 (half the file; the
# arithmetic stays float32) and the yolov3-tiny stdlib profile recorded. Model card: models/shapes-yolo.md.
# Each stage checkpoints every epoch; pass --resume to continue the stage that was interrupted.
# Run it in the background:
#   nohup setsid scripts/train-baseline.sh > runs/shapes-yolo.log 2>&1 &
set -e
cd "$(dirname "$0")/.."
[ -d data/synth ] || node bin/lithe.js data synth --out data/synth
[ -f runs/shapes-yolo-stage1/model.onnx ] || node bin/lithe.js train --model zoo:yolov3-tiny --data data/synth \
  --epochs 5 --size 320 --batch 16 --lr 0.01 --seed 0 --out runs/shapes-yolo-stage1 "$@"
node bin/lithe.js train --model runs/shapes-yolo-stage1/model.onnx --data data/synth \
  --epochs 12 --size 320 --batch 16 --lr 0.005 --seed 1 --out runs/shapes-yolo "$@"
node bin/lithe.js convert runs/shapes-yolo/model.onnx models/shapes-yolo.onnx --half-weights --profile yolov3-tiny
