#!/usr/bin/env bash
# The README's accuracy table: one synthetic street world (stereo, with poses and oxts), trainings with the same step
# budget, each evaluated on the held-out street with the reference protocol, plus the constant-depth baseline; then the
# hard world's baseline and mono rows (same streets' seed, `synth --world hard`).
# Every model is evaluated twice: with its own scaling (median for mono models; none for metric ones: x5.4 for stereo,
# metres for velocity-supervised; the camera-height plane for the last row) and median-scaled, with the median ratio
# ground truth / prediction of the first (1 = metric).
# Usage: bash tests/Monodepth2.Benchmarks/accuracy-table.sh [out-folder] [steps]
# MD2_CLI=<path to Monodepth2.Cli.dll> uses that build instead of building src/Monodepth2.Cli (so that a long run is
# not disturbed by rebuilds of the working tree). MD2_WORLDS="easy hard" (default) names the worlds whose rows run:
# "hard" alone adds the hard world's rows to a table whose easy rows are already published.
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
worlds=" ${MD2_WORLDS:-easy hard} "
for world in $worlds; do
  [[ $world == easy || $world == hard ]] || { echo "MD2_WORLDS: unknown world '$world' (easy, hard)" >&2; exit 2; }
done
: > "$out/rows.tsv"

# Checkpoints only when training stops (--save-frequency beyond the epochs): the table needs the final model.
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
baseline_row() {
  local name=$1 label=$2
  md2 evaluate --baseline --data "$data" --json "$out/$name.json"
  cp "$out/$name.json" "$out/$name.median.json"
  echo -e "$name\t$label\t\tevaluate --baseline" >> "$out/rows.tsv"
}

if [[ $worlds == *" easy "* ]]; then
[ -f "$out/data/synthetic.json" ] || md2 synth "$out/data" --sequences 10 --frames 60 --stereo --seed 7
height=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['cameraHeight'])" "$out/data/synthetic.json")
data="$out/data"
baseline_row baseline "constant depth (mean depth of the training streets)"
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
fi

# The hard world (camera sway, stops, varying light, plain asphalt, moving cars; README "The synthetic world"): the
# same streets' seed, mono rows only.
if [[ $worlds == *" hard "* ]]; then
[ -f "$out/hard/synthetic.json" ] || md2 synth "$out/hard" --sequences 10 --frames 60 --seed 7 --world hard
data="$out/hard"
baseline_row hard-baseline "hard world: constant depth (mean depth of the training streets)"
row hard-mono-scratch "hard world: mono, scratch, TorchSharp init" --weights-init Scratch --scratch-init TorchSharp
row hard-mono-scratch-torchvision "hard world: mono, scratch, torchvision init (the reference's)" --weights-init Scratch --scratch-init Torchvision
row hard-mono-short "hard world: mono, ImageNet depth, scratch pose (the demo's recipe)" "${short[@]}"
fi

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
print("| row | training | scaling | abs_rel | sq_rel | rmse | a1 | median ratio gt/pred | median-scaled abs_rel | command |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
for line in open(f"{out}/rows.tsv"):
    name, label, seconds, command = line.rstrip("\n").split("\t")
    r, m = load(name), load(name + ".median")
    minutes = f"{int(seconds) / 60:.1f} min" if seconds else ""
    print(f"| {label} | {minutes} | {scaling(r)} | {r['abs_rel']:.3f} | {r['sq_rel']:.3f} | {r['rmse']:.3f} | {r['a1']:.3f} | {r['scale_ratio']:.3f} | {m['abs_rel']:.3f} | `{command}` |")
PY
