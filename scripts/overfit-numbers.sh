#!/usr/bin/env bash
# Regenerates the numbers of src/measurements/overfit.ts (lessons 6 and 7): the assignment's MLP (Dense 128,
# ReLU, Dense 10; Adam 1e-3, batch 32) on the first 2,000 training images for 40 epochs, wasm — without dropout
# and with dropout 0.5 for seeds 1–3, Adam + L2 0.001 for seeds 1–3, and AdamW (decay 0.002 and 0.5) for seed 1.
# One JSON document per run in $1. The module reads, from the CLI's JSON: epochs[39].accuracy (training accuracy,
# the running mean over the last epoch in train mode), epochs[39].val_accuracy and .val_loss, test.accuracy.
# The CLI does not report the weight norm ‖W‖: scripts/weight-norm.ts trains the same runs (same flags, same
# session) and reads it the way the page's experiment does; its files are norm-*.json.
set -euo pipefail
out=${1:?usage: scripts/overfit-numbers.sh OUT_DIR}
mkdir -p "$out"
npm run wasm --silent
setting=(--train-limit 2000 --epochs 40 --batch-size 32 --lr 0.001 --backend wasm)
train() { nice -n 10 npx tsx engine/cli/train.ts "${setting[@]}" --json "$@"; }
norm() { nice -n 10 npx tsx scripts/weight-norm.ts "${setting[@]}" --dropout 0 --seed 1 "$@"; }
for seed in 1 2 3; do
  train --dropout 0 --seed "$seed" >"$out/adam-$seed.json"
  train --dropout 0.5 --seed "$seed" >"$out/dropout-$seed.json"
  train --dropout 0 --l2 0.001 --seed "$seed" >"$out/l2-$seed.json"
done
train --dropout 0 --optimizer adamw --weight-decay 0.002 --seed 1 >"$out/adamw-0.002-1.json"
train --dropout 0 --optimizer adamw --weight-decay 0.5 --seed 1 >"$out/adamw-0.5-1.json"
norm >"$out/norm-adam.json"
norm --l2 0.001 >"$out/norm-l2.json"
norm --optimizer adamw --weight-decay 0.002 >"$out/norm-adamw-0.002.json"
norm --optimizer adamw --weight-decay 0.5 >"$out/norm-adamw-0.5.json"
norm --optimizer adamw --weight-decay 1 >"$out/norm-adamw-1.json"
