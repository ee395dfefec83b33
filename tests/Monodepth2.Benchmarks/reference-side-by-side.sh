#!/usr/bin/env bash
# Our training and the reference implementation's (nianticlabs/monodepth2, a checkout you give; nothing of it is
# vendored: its licence is non-commercial), side by side on one synthetic world: same size, batch, seed, minutes and
# initialisation (from scratch; torchvision's layer init for ours, as the reference has), one after the other, each
# evaluated by our `evaluate` (median scaling, the held-out street), plus the constant-depth baseline and, optionally,
# ours from ImageNet. The reference runs on Debian's PyTorch 1.13 (CPU) through reference_train.py, which applies the
# compatibility shims at run time and stops it after the minutes; the checkout is not modified.
# Usage: bash tests/Monodepth2.Benchmarks/reference-side-by-side.sh <reference-checkout> [out-folder] [minutes]
# Environment (all optional):
#   MD2_WORLD       synth's world options (default "--sequences 10 --frames 60 --seed 7"); the world is made once per
#                   out-folder (delete <out>/data to remake it)
#   MD2_SYNTH_ARGS  more synth options, passed through (e.g. "--world hard"); default none
#   MD2_BATCH       batch size (default 4, as accuracy-table.sh); MD2_SEED training seed (default 1)
#   MD2_THREADS     threads for each training (default 2: the whole 2-core machine; OMP_NUM_THREADS for ours)
#   MD2_IMAGENET    1 (default) also trains ours from ImageNet (MD2_IMAGENET_ARGS, default "--weights-init Pretrained");
#                   0 leaves that row out
#   MD2_REF_WORKERS the reference's DataLoader num_workers (default: reference_train.py's choice, the fastest on the
#                   2-core machine: 0 with 2 threads, 1 with 1)
# Run it on an idle machine: with 2 threads and another busy process, both trainings stall (OpenMP threads wait on a
# descheduled sibling) by factors up to 10, unevenly.
#   MD2_CLI         a built Monodepth2.Cli.dll instead of building src/Monodepth2.Cli
#   MD2_PYTHON      the Python with PyTorch (default /usr/bin/python3)
# Trainings never overlap; a row whose run folder exists is not trained again (delete it to retrain).
set -euo pipefail
[ $# -ge 1 ] || { sed -n 8p "$0" | sed 's/^# //'; exit 2; }
checkout=$(realpath "$1")
[ -f "$checkout/trainer.py" ] || { echo "$checkout has no trainer.py: give a nianticlabs/monodepth2 checkout" >&2; exit 2; }
here=$(dirname "$(realpath "$0")")
out=$(realpath -m "${2:-$here/../../reference-side-by-side}")
cli=${MD2_CLI:+$(realpath "$MD2_CLI")}
cd "$here/../.."
minutes=${3:-12}
world=${MD2_WORLD:---sequences 10 --frames 60 --seed 7}
batch=${MD2_BATCH:-4}
seed=${MD2_SEED:-1}
threads=${MD2_THREADS:-2}
python=${MD2_PYTHON:-/usr/bin/python3}
mkdir -p "$out"
if [ -z "$cli" ]; then
  dotnet build src/Monodepth2.Cli -c Release -v q -nologo > /dev/null
  cli=src/Monodepth2.Cli/bin/Release/net10.0/Monodepth2.Cli.dll
fi
md2() { dotnet "$cli" "$@"; }
export OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads
load=$(cut -d' ' -f1 /proc/loadavg 2> /dev/null || echo 0)
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
  echo "warning: load average $load: the machine is not idle; the minutes buy fewer steps, unevenly" >&2
fi

# shellcheck disable=SC2086 # word splitting of the option strings is intended
if [ ! -f "$out/data/synthetic.json" ]; then
  md2 synth "$out/data" $world ${MD2_SYNTH_ARGS:-}
  echo "synth $world ${MD2_SYNTH_ARGS:-}" > "$out/data.args"
fi
md2 evaluate --baseline --data "$out/data" --json "$out/baseline.json"
: > "$out/rows.tsv"

common=(--data "$out/data" --width 192 --height 64 --batch-size "$batch" --max-minutes "$minutes" --seed "$seed"
        --epochs 100000 --save-frequency 1000000 --no-tensorboard)
# ours <name> <label> <train options...>: trains (unless done), evaluates, adds a row.
ours() {
  local name=$1 label=$2; shift 2
  if [ ! -d "$out/$name/models" ]; then
    md2 train "${common[@]}" --out "$out/$name" "$@" | tee "$out/$name.log"
  fi
  # "Stopped: ... after N steps (M min)." The minutes are the trainer's own clock, to 0.1 min.
  local stopped steps seconds
  stopped=$(grep '^Stopped:' "$out/$name.log" | tail -1)
  steps=$(sed -E 's/.* after ([0-9]+) steps \(([0-9.]+) min\).*/\1/' <<< "$stopped")
  seconds=$(sed -E 's/.* after ([0-9]+) steps \(([0-9.]+) min\).*/\2/' <<< "$stopped" | awk '{print $1 * 60}')
  md2 evaluate --model "$(ls -td "$out/$name"/models/weights_* | head -1)" --data "$out/data" --json "$out/$name.json"
  echo -e "$name\t$label\t$seconds\t$steps\ttrain $*" >> "$out/rows.tsv"
}
reference() {
  local name=reference label=$1
  if [ ! -f "$out/$name/summary.json" ]; then
    "$python" "$here/reference_train.py" --checkout "$checkout" --data "$out/data" --out "$out/$name" \
      --minutes "$minutes" --width 192 --height 64 --batch-size "$batch" --seed "$seed" --threads "$threads" \
      ${MD2_REF_WORKERS:+--num-workers "$MD2_REF_WORKERS"} 2>&1 | tee "$out/$name.log"
  fi
  local model steps seconds
  read -r steps seconds model < <("$python" -c "import json,sys; s = json.load(open(sys.argv[1])); print(s['steps'], s['seconds'], s['model'])" "$out/$name/summary.json")
  md2 evaluate --model "$model" --data "$out/data" --json "$out/$name.json"
  echo -e "$name\t$label\t$seconds\t$steps\treference_train.py --weights_init scratch" >> "$out/rows.tsv"
}

ours ours-scratch "ours, scratch (torchvision init)" --weights-init Scratch --pose-weights-init Scratch --scratch-init Torchvision
reference "reference (PyTorch 1.13), scratch"
if [ "${MD2_IMAGENET:-1}" = 1 ]; then
  # shellcheck disable=SC2086
  ours ours-imagenet "ours, ImageNet" ${MD2_IMAGENET_ARGS:---weights-init Pretrained}
fi

"$python" - "$out" "$batch" <<'PY'
import json, sys
out, batch = sys.argv[1], int(sys.argv[2])
def load(name):
    with open(f"{out}/{name}.json") as f:
        return json.load(f)
b = load("baseline")
try:
    world = "`" + open(f"{out}/data.args").read().strip() + "`"
except OSError:
    world = f"{out}/data"
print(f"World: {world}; 192x64, batch {batch}; evaluated with `evaluate` (median scaling); "
      "images/s: steps x batch / the training's own clock (ours: to 0.1 min).")
print()
print("| row | init | minutes | steps | images/s | abs_rel | sq_rel | rmse | a1 | abs_rel vs baseline | command |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
print(f"| constant depth (mean depth of the training streets) | | | | | {b['abs_rel']:.3f} | {b['sq_rel']:.3f} | {b['rmse']:.3f} | {b['a1']:.3f} | 0 % | `evaluate --baseline` |")
for line in open(f"{out}/rows.tsv"):
    name, label, seconds, steps, command = line.rstrip("\n").split("\t")
    r = load(name)
    init = "ImageNet" if "Pretrained" in command else "scratch"
    ips = int(steps) * batch / float(seconds) if float(seconds) > 0 else float("nan")
    rel = 100 * (r["abs_rel"] / b["abs_rel"] - 1)
    print(f"| {label} | {init} | {float(seconds) / 60:.1f} | {steps} | {ips:.1f} | {r['abs_rel']:.3f} | {r['sq_rel']:.3f} | {r['rmse']:.3f} | {r['a1']:.3f} | {rel:+.0f} % | `{command}` |")
PY
