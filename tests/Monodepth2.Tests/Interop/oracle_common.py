"""Helpers shared by the interop oracle scripts (run by PythonOracle.cs with Debian's python3-torch)."""
import json
import sys

import torch


def tensor_summary(t):
    """Shape, dtype and three float64 checksums: the sum, the sum of absolute values, and a position-weighted sum
    (weights 1..97 repeating over the flattened tensor) that changes when values are permuted or transposed."""
    flat = t.detach().reshape(-1).to(torch.float64)
    weights = (torch.arange(flat.numel(), dtype=torch.int64) % 97 + 1).to(torch.float64)
    return {
        "shape": list(t.shape),
        "dtype": str(t.dtype).replace("torch.", ""),
        "sum": flat.sum().item(),
        "abs_sum": flat.abs().sum().item(),
        "weighted_sum": (flat * weights).sum().item(),
    }


def plain_value(v):
    """A non-tensor entry as JSON: its Python type name and value."""
    return {"type": type(v).__name__, "value": v}


def state_dict_summary(d):
    """Tensor entries in file order with their summaries, and every other entry with its type and value."""
    tensors = [dict(key=k, **tensor_summary(v)) for k, v in d.items() if isinstance(v, torch.Tensor)]
    extras = {k: plain_value(v) for k, v in d.items() if not isinstance(v, torch.Tensor)}
    return {"container": type(d).__name__, "tensors": tensors, "extras": extras}


def emit(result):
    """Writes the result as one JSON line on stdout (the C# side parses the last line)."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def randomise_batch_norms(net, batches_tracked=False):
    """Seeded, non-trivial batch-norm parameters and running statistics, so that batch norm is not an identity."""
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                if batches_tracked:
                    m.num_batches_tracked.fill_(int(torch.randint(1, 1000, ())))
