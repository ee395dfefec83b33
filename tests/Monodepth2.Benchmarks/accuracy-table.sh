#!/usr/bin/env bash
# The README's accuracy table: one synthetic street world (stereo, with poses and oxts), trainings with the same step
# budget, each evaluated on the held-out street with the reference protocol, plus the constant-depth baseline; then the
# hard world's baseline and mono rows (same streets' seed, `synth --world hard`).
# Every model is evaluated twice: with its own scaling (median for mono models; none for metric ones: x5.4 for stereo,
# metres for velocity-supervised; the camera-height plane for the last row) and median-scaled, with the median ratio
# ground truth / prediction of the first (1 = metric).
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
height=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['cameraHeight'])" "$out/data/synthetic.json")

md2 evaluate --baseline --data "$out/data" --json "$out/baseline.json"
: > "$out/rows.tsv"

# Checkpoints only when training stops (--save-frequency beyond the epochs): the table needs the final model.
data="$out/data"
common=(--width 192 --height 64 --batch-size 4 --max-steps "$steps" --epochs 100 --save-frequency 1000 --seed 1
        --log-frequency 50 --no-tensorboard)
# The short-budget recipe (the demo's): ImageNet depth encoder, scratch pose encoder with TorchSharp's layer init.
short=(--weights-init Pretrained --pose-weights-init Scratch --scratch-init TorchSharp)
row() {
  local name=$1 label=$2; shift 2
  local start=$SECONDS
  if [ ! -d "$out/$name/models" ]; then
    md2 train --data "$data" "${common[@]}" --out "$out/$name" "$@" | tee "$out/$name.log"
    echo $((SECONDS - start)) > "$out/$name.seconds"
  fi
  echo -e "$name\t$label\t$(cat "$out/$name.seconds")\ttrain $*" >> "$out/rows.tsv"
  local model
  model=$(ls -td "$out/$name"/models/weights_* | head -1)
  md2 evaluate --model "$model" --data "$data" --json "$out/$name.json"
  md2 evaluate --model "$model" --data "$data" --scaling median --json "$out/$name.median.json"
}
row mono-scratch "mono, scratch, TorchSharp init" --weights-init Scratch --scratch-init TorchSharp
row mono-pretrained "mono, ImageNet on both encoders (the reference recipe)" --weights-init Pretrained
row mono-short "mono, ImageNet depth, scratch pose (the demo's recipe)" "${short[@]}"
row stereo "stereo, ImageNet" --modality stereo --weights-init Pretrained
row mono-stereo-reference "mono+stereo, the reference recipe" --modality mono+stereo --weights-init Pretrained
row mono-stereo-warmup "mono+stereo, demo's recipe, 100 stereo-only warm-up steps" --modality mono+stereo "${short[@]}" --stereo-warmup-steps 100
row mono-velocity "mono + velocity supervision (weight 1), demo's recipe" "${short[@]}" --velocity-weight 1

# Camera-height scaling of two mono models above: no training of their own.
height_row() {
  local model=$1 label=$2
  md2 evaluate --model "$(ls -td "$out/$model"/models/weights_* | head -1)" --data "$out/data" --scaling camera-height \
    --camera-height "$height" --json "$out/$model-camera-height.json"
  cp "$out/$model.median.json" "$out/$model-camera-height.median.json"
  echo -e "$model-camera-height\t$label, scaled by the camera's height ($height m)\t\tevaluate --scaling camera-height --camera-height $height" >> "$out/rows.tsv"
}
height_row mono-pretrained "mono, the reference recipe"
height_row mono-short "mono, the demo's recipe"

# The hard world (camera sway, stops, varying light, plain asphalt, moving cars; README "The synthetic world"): the
# same streets' seed, mono rows only.
[ -f "$out/hard/synthetic.json" ] || md2 synth "$out/hard" --sequences 10 --frames 60 --seed 7 --world hard
md2 evaluate --baseline --data "$out/hard" --json "$out/hard-baseline.json"
cp "$out/hard-baseline.json" "$out/hard-baseline.median.json"
echo -e "hard-baseline\thard world: constant depth (mean depth of the training streets)\t\tevaluate --baseline" >> "$out/rows.tsv"
data="$out/hard"
row hard-mono-scratch "hard world: mono, scratch, TorchSharp init" --weights-init Scratch --scratch-init TorchSharp
row hard-mono-scratch-torchvision "hard world: mono, scratch, torchvision init (the reference's)" --weights-init Scratch --scratch-init Torchvision
row hard-mono-short "hard world: mono, ImageNet depth, scratch pose (the demo's recipe)" "${short[@]}"

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
def load(name):
    with open(f"{out}/{name}.json") as f:
        return json.load(f)
def scaling(r):
    s = r["settings"]
    if r.get("ground_plane"): return f"camera height {r['ground_plane']['camera_height']} m ({r['ground_plane']['planes_found']}/{r['ground_plane']['images']} planes)"
    if s["median_scaling"]: return "median"
    return f"none (x{s['scale_factor']:g})"
b = load("baseline")
print("| row | training | scaling | abs_rel | sq_rel | rmse | a1 | median ratio gt/pred | median-scaled abs_rel | command |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
print(f"| constant depth (mean depth of the training streets) | | median | {b['abs_rel']:.3f} | {b['sq_rel']:.3f} | {b['rmse']:.3f} | {b['a1']:.3f} | {b['ratio_median']:.3f} | {b['abs_rel']:.3f} | `evaluate --baseline` |")
for line in open(f"{out}/rows.tsv"):
    name, label, seconds, command = line.rstrip("\n").split("\t")
    r, m = load(name), load(name + ".median")
    minutes = f"{int(seconds) / 60:.1f} min" if seconds else ""
    print(f"| {label} | {minutes} | {scaling(r)} | {r['abs_rel']:.3f} | {r['sq_rel']:.3f} | {r['rmse']:.3f} | {r['a1']:.3f} | {r['scale_ratio']:.3f} | {m['abs_rel']:.3f} | `{command}` |")
PY
