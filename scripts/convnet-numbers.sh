#!/usr/bin/env bash
# Regenerates the numbers of src/measurements/convnet.ts (lesson 14): the ConvNet (conv 8 → conv 16 →
# Dense 10) without and with BN, all 54,000 training images, 1 epoch, wasm — seeds 1–3 at the defaults
# (Adam 1e-3, batch 32), again with PyTorch's conventions, and seed 1 over the SGD learning-rate sweep. One JSON document per run in $1.
set -euo pipefail
out=${1:?usage: scripts/convnet-numbers.sh OUT_DIR}
mkdir -p "$out"
npm run wasm --silent
train() { nice -n 5 npx tsx engine/cli/train.ts --model cnn --epochs 1 --backend wasm --json "$@"; }
for seed in 1 2 3; do
  for norm in none batch; do train --norm "$norm" --seed "$seed" >"$out/seeds-$norm-$seed.json"; done
done
# The defaults with PyTorch's conventions: U(±1/√fan_in) kernels, BN momentum 0.1 (0.9 in Keras' direction), ε 1e-5.
torch_like=(--init he-uniform --init-scale 0.408248 --bn-momentum 0.9 --epsilon 0.00001)
for seed in 1 2 3; do
  for norm in none batch; do train --norm "$norm" --seed "$seed" "${torch_like[@]}" >"$out/pytorch-$norm-$seed.json"; done
done
for lr in 0.01 0.1 1 3; do
  for norm in none batch; do train --norm "$norm" --seed 1 --optimizer sgd --lr "$lr" >"$out/sgd-$norm-$lr.json" || true; done
done
