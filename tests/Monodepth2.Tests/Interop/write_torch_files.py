"""Writes a model folder with real torch.save, the way the reference's trainer does, from seeded random values.

Usage: write_torch_files.py <output folder> <shapes.json>
shapes.json: {"depth": [[key, shape, dtype], ...], "pose": [...]} from the C# modules' state dicts.
encoder.pth: torchvision resnet18 state dict (classifier included) under `encoder.`, plus height=192, width=640,
use_stereo=False; pose_encoder.pth: the same with a 6-channel conv1; batch-norm statistics are random, not identity.
depth.pth, pose.pth: every key of shapes.json filled with seeded random values.
<output folder>/legacy/encoder.pth: encoder.pth again with _use_new_zipfile_serialization=False.
Prints each file's checksums (see oracle_common.tensor_summary).
"""
import json
import os
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torchvision

from oracle_common import emit, randomise_batch_norms, state_dict_summary

out, shapes_path = sys.argv[1], sys.argv[2]
torch.set_num_threads(1)
torch.manual_seed(20261203)
with open(shapes_path) as f:
    shapes = json.load(f)


def resnet_state(num_input_images):
    net = torchvision.models.resnet18()
    if num_input_images > 1:
        net.conv1 = nn.Conv2d(3 * num_input_images, 64, kernel_size=7, stride=2, padding=3, bias=False)
    randomise_batch_norms(net, batches_tracked=True)
    return OrderedDict(("encoder." + k, v) for k, v in net.state_dict().items())


def random_state(entries):
    d = OrderedDict()
    for key, shape, dtype in entries:
        if dtype == "int64":
            d[key] = torch.randint(0, 1000, shape, dtype=torch.int64)
        else:
            d[key] = torch.randn(shape, dtype=torch.float32)
    return d


files = {
    "encoder": resnet_state(1),
    "depth": random_state(shapes["depth"]),
    "pose_encoder": resnet_state(2),
    "pose": random_state(shapes["pose"]),
}
# As the reference's Trainer.save_model: the options become entries of encoder.pth.
files["encoder"]["height"] = 192
files["encoder"]["width"] = 640
files["encoder"]["use_stereo"] = False

os.makedirs(os.path.join(out, "legacy"), exist_ok=True)
result = {"torch": torch.__version__, "files": {}}
for name, d in files.items():
    torch.save(d, os.path.join(out, name + ".pth"))
    result["files"][name] = state_dict_summary(d)
torch.save(files["encoder"], os.path.join(out, "legacy", "encoder.pth"), _use_new_zipfile_serialization=False)
emit(result)
