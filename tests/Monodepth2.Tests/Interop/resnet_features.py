"""torchvision's resnet18 trunk as the reference's ResnetEncoder runs it: the oracle for our encoder's features.

Usage: resnet_features.py <output folder>
Seeded random weights (eval mode, random batch-norm affine parameters and running statistics, so batch norm is not
the identity), a seeded input image [1, 3, 192, 640] in [0, 1], normalised (x - 0.45) / 0.225 as the reference's
ResnetEncoder.forward does, then conv1 -> bn1 -> relu, maxpool -> layer1, layer2, layer3, layer4.
Writes encoder.pth (torch.save, keys under `encoder.`), input.npy and feature0.npy .. feature4.npy (float32).
"""
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torchvision

from oracle_common import emit, randomise_batch_norms

out = sys.argv[1]
torch.set_num_threads(1)
torch.manual_seed(7)
net = torchvision.models.resnet18()
randomise_batch_norms(net)
net.eval()
image = torch.rand(1, 3, 192, 640)
with torch.no_grad():
    x = (image - 0.45) / 0.225
    features = [net.relu(net.bn1(net.conv1(x)))]
    features.append(net.layer1(net.maxpool(features[-1])))
    features.append(net.layer2(features[-1]))
    features.append(net.layer3(features[-1]))
    features.append(net.layer4(features[-1]))

torch.save(OrderedDict(("encoder." + k, v) for k, v in net.state_dict().items()), os.path.join(out, "encoder.pth"))
np.save(os.path.join(out, "input.npy"), image.numpy().astype(np.float32))
for i, f in enumerate(features):
    np.save(os.path.join(out, f"feature{i}.npy"), f.numpy().astype(np.float32))
emit({"shapes": [list(f.shape) for f in features], "max_abs": [f.abs().max().item() for f in features]})
