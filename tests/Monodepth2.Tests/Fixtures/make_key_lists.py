#!/usr/bin/env python3
"""Writes the reference state-dict key lists (name and shape) of Monodepth2's four networks.

Derived by hand from torchvision's ResNet naming and the Monodepth2 module definitions (networks/*.py of
nianticlabs/monodepth2), without running either project, so the C# modules are checked against an independent
statement of the format. The encoder lists leave out the unused classifier (encoder.fc.*), which Monodepth2.MLNet
does not instantiate. Run from this folder: python3 make_key_lists.py
"""

def bn(prefix, c):
    return [(f"{prefix}.weight", [c]), (f"{prefix}.bias", [c]), (f"{prefix}.running_mean", [c]),
            (f"{prefix}.running_var", [c]), (f"{prefix}.num_batches_tracked", [])]

def resnet18(in_images):
    keys = [("encoder.conv1.weight", [64, 3 * in_images, 7, 7])] + bn("encoder.bn1", 64)
    inplanes = 64
    for layer, planes in enumerate([64, 128, 256, 512], start=1):
        for block in range(2):
            p = f"encoder.layer{layer}.{block}"
            cin = inplanes if block == 0 else planes
            keys += [(f"{p}.conv1.weight", [planes, cin, 3, 3])] + bn(f"{p}.bn1", planes)
            keys += [(f"{p}.conv2.weight", [planes, planes, 3, 3])] + bn(f"{p}.bn2", planes)
            if block == 0 and (layer > 1):
                keys += [(f"{p}.downsample.0.weight", [planes, inplanes, 1, 1])] + bn(f"{p}.downsample.1", planes)
        inplanes = planes
    return keys

def depth_decoder():
    enc = [64, 64, 128, 256, 512]
    dec = [16, 32, 64, 128, 256]
    keys, k = [], 0
    for i in range(4, -1, -1):
        cin = enc[-1] if i == 4 else dec[i + 1]
        keys += [(f"decoder.{k}.conv.conv.weight", [dec[i], cin, 3, 3]), (f"decoder.{k}.conv.conv.bias", [dec[i]])]
        k += 1
        cin = dec[i] + (enc[i - 1] if i > 0 else 0)
        keys += [(f"decoder.{k}.conv.conv.weight", [dec[i], cin, 3, 3]), (f"decoder.{k}.conv.conv.bias", [dec[i]])]
        k += 1
    for s in range(4):
        keys += [(f"decoder.{k}.conv.weight", [1, dec[s], 3, 3]), (f"decoder.{k}.conv.bias", [1])]
        k += 1
    return keys

def pose_decoder():
    return [("net.0.weight", [256, 512, 1, 1]), ("net.0.bias", [256]),
            ("net.1.weight", [256, 256, 3, 3]), ("net.1.bias", [256]),
            ("net.2.weight", [256, 256, 3, 3]), ("net.2.bias", [256]),
            ("net.3.weight", [12, 256, 1, 1]), ("net.3.bias", [12])]

def write(name, keys):
    with open(name, "w") as f:
        for key, shape in keys:
            f.write(f"{key} {','.join(map(str, shape))}\n")

write("encoder18_keys.txt", resnet18(1))
write("pose_encoder18_keys.txt", resnet18(2))
write("depth_decoder_keys.txt", depth_decoder())
write("pose_decoder_keys.txt", pose_decoder())
