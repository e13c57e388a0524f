#!/bin/sh
# Trains the baseline detector (issue 5): full-width YOLOv3-tiny on the synthetic benchmark (seed 0, the
# default 2,000 train + 500 val images at 320 px), 100 epochs at 320, batch 8, SGD (Nesterov) at lr 0.005
# with 1 warm-up epoch and cosine decay, EMA weights. It checkpoints every epoch into runs/shapes-yolo;
# pass --resume to continue after an interruption. Run it in the background:
#   nohup setsid scripts/train-baseline.sh > runs/shapes-yolo.log 2>&1 &
set -e
cd "$(dirname "$0")/.."
[ -d data/synth ] || node bin/lithe.js data synth --out data/synth
exec node bin/lithe.js train --model zoo:yolov3-tiny --data data/synth --epochs 100 --size 320 --batch 8 --lr 0.005 --seed 0 --out runs/shapes-yolo "$@"
