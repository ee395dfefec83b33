"""torch.load every .pth file of a checkpoint folder written by Monodepth2.MLNet and describe what PyTorch sees.

Usage: read_our_files.py <checkpoint folder>
State dicts: every key with shape, dtype and checksums, and the non-tensor entries with their Python types.
adam.pth: its structure, then PyTorch's own Adam loads it (load_state_dict) and takes one step.
"""
import os
import sys

import torch

from oracle_common import emit, plain_value, state_dict_summary, tensor_summary

folder = sys.argv[1]
torch.set_num_threads(1)
result = {"files": {}}
for name in ("encoder", "depth", "pose_encoder", "pose"):
    loaded = torch.load(os.path.join(folder, name + ".pth"), map_location="cpu")
    result["files"][name] = state_dict_summary(loaded)

adam = torch.load(os.path.join(folder, "adam.pth"), map_location="cpu")
state = adam["state"]
groups = adam["param_groups"]
described_state = {}
for index, entry in state.items():
    described_state[str(index)] = {
        "index_type": type(index).__name__,
        "step": {"type": type(entry["step"]).__name__, "value": float(entry["step"]),
                 "shape": list(entry["step"].shape) if isinstance(entry["step"], torch.Tensor) else None},
        "exp_avg": tensor_summary(entry["exp_avg"]),
        "exp_avg_sq": tensor_summary(entry["exp_avg_sq"]),
    }
described_groups = []
for g in groups:
    described_groups.append({k: (v if k == "params" else plain_value(v) if not isinstance(v, (list, tuple)) else {"type": type(v).__name__, "value": list(v)})
                             for k, v in g.items()})

# The real test of an optimiser file: PyTorch's Adam takes it and steps (torch >= 1.12 needs tensor steps).
params = []
for g in groups:
    for i in g["params"]:
        params.append(torch.zeros(state[i]["exp_avg"].shape, requires_grad=True))
optimizer = torch.optim.Adam(params, lr=0.5)
optimizer.load_state_dict(adam)
for p in params:
    p.grad = torch.ones_like(p)
optimizer.step()
first = optimizer.state[params[0]]
result["adam"] = {
    "top_keys": sorted(adam.keys()),
    "state_count": len(state),
    "state": described_state,
    "param_groups": described_groups,
    "reloaded": {"lr": optimizer.param_groups[0]["lr"], "step_after_one_more": float(first["step"])},
}
emit(result)
