#!/usr/bin/env bash
# Trains the playground's default model (public/model), as committed: the tutorial's
# network by `axon train`, 3 epochs, seed 14, on the bundled MNIST, WebAssembly backend.
# Run from anywhere: npm run train-default-model -w @axon/web
set -euo pipefail
cd "$(dirname "$0")/../../.."
npx nx run @axon/cli:build --output-style=static
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
node apps/cli/dist/main.js train --epochs 3 --seed 14 --backend wasm --threads 2 --out "$out/model"
cp "$out/model/model.json" "$out/model/weights.bin" apps/web/public/model/
echo "apps/web/public/model: model.json and weights.bin updated"
