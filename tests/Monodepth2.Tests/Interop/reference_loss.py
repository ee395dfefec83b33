"""The reference's training loss (compute_losses with generate_images_pred), written from its definitions in plain
PyTorch: the oracle for our MonodepthLoss, forward value and gradients.

Usage: reference_loss.py <output folder>
Seeded inputs for a batch of 2 at 128x64 with the sources -1, +1 (random poses) and "s" (the stereo transform):
image pyramids (area downsampling), sigmoid disparities at 4 scales, target-to-source transforms. Settings: scales
0..3, full-resolution warping (disparities upsampled bilinearly, align_corners false), min/max depth 0.1/100, KITTI
intrinsics, SSIM 0.85, per-pixel minimum with auto-masking, smoothness 1e-3 / 2^s on the mean-normalised disparity,
no tie-breaking noise (it is random). Sampling uses align_corners=True, the convention this project documents.
Writes the inputs and the gradients of the total loss with respect to each disparity as .npy files, and prints the
total and per-scale losses as JSON.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from oracle_common import emit

out = sys.argv[1]
torch.set_num_threads(1)
torch.manual_seed(3)
B, H, W = 2, 64, 128
SCALES = [0, 1, 2, 3]
MIN_DEPTH, MAX_DEPTH = 0.1, 100.0


def pyramid(image):
    return [image if s == 0 else F.interpolate(image, size=(H >> s, W >> s), mode="area") for s in SCALES]


def rot_from_axisangle(vec):
    angle = torch.norm(vec, 2, 2, True)
    axis = vec / (angle + 1e-7)
    ca, sa = torch.cos(angle), torch.sin(angle)
    c1 = 1 - ca
    x, y, z = axis[..., 0].unsqueeze(1), axis[..., 1].unsqueeze(1), axis[..., 2].unsqueeze(1)
    xs, ys, zs = x * sa, y * sa, z * sa
    xC, yC, zC = x * c1, y * c1, z * c1
    xyC, yzC, zxC = x * yC, y * zC, z * xC
    rot = torch.zeros((vec.shape[0], 4, 4))
    rot[:, 0, 0] = torch.squeeze(x * xC + ca)
    rot[:, 0, 1] = torch.squeeze(xyC - zs)
    rot[:, 0, 2] = torch.squeeze(zxC + ys)
    rot[:, 1, 0] = torch.squeeze(xyC + zs)
    rot[:, 1, 1] = torch.squeeze(y * yC + ca)
    rot[:, 1, 2] = torch.squeeze(yzC - xs)
    rot[:, 2, 0] = torch.squeeze(zxC - ys)
    rot[:, 2, 1] = torch.squeeze(yzC + xs)
    rot[:, 2, 2] = torch.squeeze(z * zC + ca)
    rot[:, 3, 3] = 1
    return rot


def transform(axisangle, translation):
    t = torch.eye(4).repeat(B, 1, 1)
    t[:, :3, 3] = translation
    return t @ rot_from_axisangle(axisangle.unsqueeze(1))


def intrinsics(scale):
    k = torch.tensor([[0.58, 0, 0.5, 0], [0, 1.92, 0.5, 0], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=torch.float32)
    k[0, :] *= W // (2 ** scale)
    k[1, :] *= H // (2 ** scale)
    return k.unsqueeze(0).repeat(B, 1, 1), torch.linalg.pinv(k).unsqueeze(0).repeat(B, 1, 1)


def backproject(depth, inv_k):
    ys, xs = torch.meshgrid(torch.arange(H, dtype=torch.float32), torch.arange(W, dtype=torch.float32), indexing="ij")
    pix = torch.stack([xs.reshape(-1), ys.reshape(-1), torch.ones(H * W)], 0).unsqueeze(0).repeat(B, 1, 1)
    cam = depth.view(B, 1, -1) * (inv_k[:, :3, :3] @ pix)
    return torch.cat([cam, torch.ones(B, 1, H * W)], 1)


def project(points, k, t):
    p = (k @ t)[:, :3, :]
    cam = p @ points
    pix = cam[:, :2, :] / (cam[:, 2, :].unsqueeze(1) + 1e-7)
    pix = pix.view(B, 2, H, W).permute(0, 2, 3, 1)
    pix = pix / torch.tensor([W - 1, H - 1], dtype=torch.float32)
    return (pix - 0.5) * 2


class SSIM(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.AvgPool2d(3, 1)
        self.pad = nn.ReflectionPad2d(1)

    def forward(self, x, y):
        x, y = self.pad(x), self.pad(y)
        mu_x, mu_y = self.pool(x), self.pool(y)
        sigma_x = self.pool(x ** 2) - mu_x ** 2
        sigma_y = self.pool(y ** 2) - mu_y ** 2
        sigma_xy = self.pool(x * y) - mu_x * mu_y
        n = (2 * mu_x * mu_y + 0.01 ** 2) * (2 * sigma_xy + 0.03 ** 2)
        d = (mu_x ** 2 + mu_y ** 2 + 0.01 ** 2) * (sigma_x + sigma_y + 0.03 ** 2)
        return torch.clamp((1 - n / d) / 2, 0, 1)


ssim = SSIM()


def reprojection_loss(pred, target):
    l1 = (target - pred).abs().mean(1, True)
    return 0.85 * ssim(pred, target).mean(1, True) + 0.15 * l1


def smooth_loss(disp, img):
    gdx = (disp[:, :, :, :-1] - disp[:, :, :, 1:]).abs()
    gdy = (disp[:, :, :-1, :] - disp[:, :, 1:, :]).abs()
    gix = (img[:, :, :, :-1] - img[:, :, :, 1:]).abs().mean(1, keepdim=True)
    giy = (img[:, :, :-1, :] - img[:, :, 1:, :]).abs().mean(1, keepdim=True)
    return (gdx * torch.exp(-gix)).mean() + (gdy * torch.exp(-giy)).mean()


# A smooth scene (a blurred random texture) so that warps carry meaning, and sources that are its shifted views.
base = F.avg_pool2d(torch.rand(B, 3, H + 8, W + 8), 5, stride=1, padding=2)
target = base[:, :, 4:4 + H, 4:4 + W].contiguous()
sources = {
    "-1": base[:, :, 3:3 + H, 5:5 + W].contiguous(),
    "+1": base[:, :, 5:5 + H, 3:3 + W].contiguous(),
    "s": base[:, :, 4:4 + H, 6:6 + W].contiguous(),
}
transforms = {
    "-1": transform(torch.randn(B, 3) * 0.02, torch.randn(B, 3) * 0.1),
    "+1": transform(torch.randn(B, 3) * 0.02, torch.randn(B, 3) * 0.1),
    "s": torch.eye(4).repeat(B, 1, 1),
}
transforms["s"][:, 0, 3] = -0.1
disps = [torch.sigmoid(torch.randn(B, 1, H >> s, W >> s)).requires_grad_() for s in SCALES]

target_pyramid = pyramid(target)
source_pyramids = {k: pyramid(v) for k, v in sources.items()}
k0, inv_k0 = intrinsics(0)
order = ["-1", "+1", "s"]
total = 0
per_scale = []
for s in SCALES:
    disp = F.interpolate(disps[s], [H, W], mode="bilinear", align_corners=False)
    scaled = 1 / MAX_DEPTH + (1 / MIN_DEPTH - 1 / MAX_DEPTH) * disp
    depth = 1 / scaled
    points = backproject(depth, inv_k0)
    reprojection, identity = [], []
    for f in order:
        grid = project(points, k0, transforms[f])
        warped = F.grid_sample(source_pyramids[f][0], grid, padding_mode="border", align_corners=True)
        reprojection.append(reprojection_loss(warped, target))
        identity.append(reprojection_loss(source_pyramids[f][0], target))
    combined = torch.cat([torch.cat(identity, 1), torch.cat(reprojection, 1)], 1)
    to_optimise, _ = torch.min(combined, dim=1)
    loss = to_optimise.mean()
    mean_disp = disps[s].mean(2, True).mean(3, True)
    loss = loss + 1e-3 * smooth_loss(disps[s] / (mean_disp + 1e-7), target_pyramid[s]) / (2 ** s)
    per_scale.append(loss.item())
    total = total + loss
total = total / len(SCALES)
total.backward()

for s in SCALES:
    np.save(os.path.join(out, f"target{s}.npy"), target_pyramid[s].numpy().astype(np.float32))
    np.save(os.path.join(out, f"disp{s}.npy"), disps[s].detach().numpy().astype(np.float32))
    np.save(os.path.join(out, f"grad{s}.npy"), disps[s].grad.numpy().astype(np.float32))
    for i, f in enumerate(order):
        np.save(os.path.join(out, f"source{i}_{s}.npy"), source_pyramids[f][s].numpy().astype(np.float32))
for i, f in enumerate(order):
    np.save(os.path.join(out, f"transform{i}.npy"), transforms[f].numpy().astype(np.float32))
emit({"total": total.item(), "per_scale": per_scale, "sources": order})
