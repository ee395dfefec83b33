"""Loads a Monodepth2.MLNet model folder exactly as the reference's scripts do, into torchvision-built modules.

Usage: reference_loading.py <model folder>
encoder.pth: evaluate_depth.py / test_simple.py filter the file by the keys of ResnetEncoder(18, False) (a torchvision
resnet18 held as attribute `encoder`, classifier included) and load with the default strict=True.
pose_encoder.pth: evaluate_pose.py loads it unfiltered, strict=True, into ResnetEncoder(18, False, 2) (torchvision's
ResNet with a 6-channel conv1).
depth.pth, pose.pth: their keys and shapes, for comparison with the fixture key lists.
"""
import os
import sys

import torch
import torch.nn as nn
import torchvision

from oracle_common import emit

folder = sys.argv[1]
torch.set_num_threads(1)


class ResnetEncoder(nn.Module):
    """The reference's ResnetEncoder for ResNet-18, num_input_images 1 or 2 (state-dict layout only)."""

    def __init__(self, num_input_images=1):
        super().__init__()
        if num_input_images == 1:
            self.encoder = torchvision.models.resnet18()
        else:
            # ResNetMultiImageInput: torchvision's ResNet (classifier included) with a wider first convolution.
            self.encoder = torchvision.models.resnet.ResNet(torchvision.models.resnet.BasicBlock, [2, 2, 2, 2])
            self.encoder.conv1 = nn.Conv2d(num_input_images * 3, 64, kernel_size=7, stride=2, padding=3, bias=False)


def try_load(module, state):
    try:
        module.load_state_dict(state)
        return None
    except Exception as e:  # the message is the finding
        return f"{type(e).__name__}: {e}"


result = {}
loaded = torch.load(os.path.join(folder, "encoder.pth"), map_location="cpu")
encoder = ResnetEncoder()
model_dict = encoder.state_dict()
filtered = {k: v for k, v in loaded.items() if k in model_dict}
error = try_load(encoder, filtered)
same = error is None and all(torch.equal(encoder.state_dict()[k], v) for k, v in filtered.items())
result["encoder"] = {
    "dropped": [k for k in loaded.keys() if k not in model_dict],
    "load_error": error,
    "values_loaded": same,
    "height": loaded.get("height"),
    "width": loaded.get("width"),
}

pose_encoder = ResnetEncoder(2)
result["pose_encoder"] = {"load_error": try_load(pose_encoder, torch.load(os.path.join(folder, "pose_encoder.pth"), map_location="cpu"))}

result["keys"] = {}
for name in ("depth", "pose"):
    d = torch.load(os.path.join(folder, name + ".pth"), map_location="cpu")
    result["keys"][name] = [[k, list(v.shape)] if isinstance(v, torch.Tensor) else [k, None] for k, v in d.items()]
emit(result)
