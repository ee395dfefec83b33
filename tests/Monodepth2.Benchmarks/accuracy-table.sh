#!/usr/bin/env bash
# The README's accuracy table: one synthetic street world (stereo), five trainings with the same step budget,
# each evaluated on the held-out street with the reference protocol, plus the constant-depth baseline.
# Usage: bash tests/Monodepth2.Benchmarks/accuracy-table.sh [out-folder] [steps]
# MD2_CLI=<path to Monodepth2.Cli.dll> uses that build instead of building src/Monodepth2.Cli (so that a long run is
# not disturbed by rebuilds of the working tree).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-accuracy-table}
steps=${2:-250}
mkdir -p "$out"
cli=${MD2_CLI:-}
if [ -z "$cli" ]; then
  dotnet build src/Monodepth2.Cli -c Release -v q -nologo > /dev/null
  cli=src/Monodepth2.Cli/bin/Release/net10.0/Monodepth2.Cli.dll
fi
md2() { dotnet "$cli" "$@"; }

[ -f "$out/data/synthetic.json" ] || md2 synth "$out/data" --sequences 10 --frames 60 --stereo --seed 7

md2 evaluate --baseline --data "$out/data" --json "$out/baseline.json"

# Checkpoints only when training stops (--save-frequency beyond the epochs): the table needs the final model.
common=(--data "$out/data" --width 192 --height 64 --batch-size 4 --max-steps "$steps" --epochs 100 --save-frequency 1000 --seed 1
        --log-frequency 50 --no-tensorboard)
row() {
  local name=$1; shift
  local start=$SECONDS
  [ -d "$out/$name/models" ] || md2 train "${common[@]}" --out "$out/$name" "$@" | tee "$out/$name.log"
  echo "$name: training $((SECONDS - start)) s" | tee -a "$out/times.txt"
  local model
  model=$(ls -td "$out/$name"/models/weights_* | head -1)
  md2 evaluate --model "$model" --data "$out/data" --json "$out/$name.json"
}
row mono-scratch --weights-init Scratch
row mono-pretrained-pose-scratch --weights-init Pretrained --pose-weights-init Scratch
row mono-pretrained --weights-init Pretrained
row stereo --modality stereo --weights-init Pretrained
row mono-stereo --modality mono+stereo --weights-init Pretrained --pose-weights-init Scratch
