"""Trains the reference Monodepth2 (nianticlabs/monodepth2, a separate checkout) on one of our KITTI-layout datasets
for a wall-clock budget, on the CPU, and saves it with the reference's own save_model.

Run with Debian's /usr/bin/python3 (PyTorch 1.13 + torchvision 0.14). Nothing of the reference is vendored here (its
licence is non-commercial): the checkout's path is an argument, the checkout is not modified (its Python files are
copied into <out>/code, next to a split folder made from the dataset's splits), and the method is unchanged. Only
runtime shims are applied, each printed when applied:
- torchvision >= 0.8: ColorJitter.get_params returns (order, brightness, contrast, saturation, hue) where the
  reference calls the result as a transform; the dataset module gets a ColorJitter whose get_params returns a
  function applying those same parameters in that order (what ColorJitter.forward does).
- PyTorch 1.13: DataLoader iterators have no .next() (the reference calls self.val_iter.next() twice in Trainer.val);
  the iterator base class gets next = __next__.
- Missing packages the training path does not use: tensorboardX (a no-op SummaryWriter), IPython (an unused import of
  embed), skimage (only for velodyne ground truth, which our datasets do not have).
The budget: the training loader stops yielding batches once the minutes are spent (a step that has started finishes),
then save_model writes <out>/reference/models/weights_<epoch>/ (encoder.pth with height/width/use_stereo, depth.pth,
pose_encoder.pth, pose.pth, adam.pth). <out>/summary.json has steps, seconds and images/s.
"""

import argparse
import json
import os
import random
import shutil
import sys
import time
import types


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--checkout", required=True, help="a checkout of nianticlabs/monodepth2 (read only)")
    p.add_argument("--data", required=True, help="our KITTI-layout dataset root, with splits/{train,val}_files.txt")
    p.add_argument("--out", required=True, help="run folder (created)")
    p.add_argument("--minutes", type=float, required=True, help="wall-clock training budget")
    p.add_argument("--width", type=int, default=192)
    p.add_argument("--height", type=int, default=64)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads for the training process")
    # The DataLoader's num_workers, by default 0 with 2 or more threads and 1 with 1 thread: the fastest on this
    # project's 2-core machine (192x64, batch 4, 30 s each, 2026-12-03, the machine busy with other builds, load 7-11):
    # with 1 thread, 0/1/2 workers gave 2.25/2.71/2.09 images/s (a worker loads on the other core); with 2 threads
    # every worker takes a core from the 2 training threads (0 workers: median step 0.74 s; 1 and 2 workers stalled
    # for seconds). Loading a batch of 4 takes 0.13-0.26 s in the training process (3 PNG frames, 4 Lanczos scales,
    # colour jitter), and each epoch forks its workers anew.
    p.add_argument("--num-workers", type=int, default=None)
    p.add_argument("--log-frequency", type=int, default=250, help="the reference's --log_frequency (its default)")
    p.add_argument("--loss-every", type=int, default=10, help="print the mean training loss every this many steps")
    return p.parse_args()


def install_stubs():
    """No-op stand-ins for packages the reference imports but this training path does not need."""
    try:
        import tensorboardX  # noqa: F401
    except ImportError:
        class SummaryWriter:
            def __init__(self, *args, **kwargs):
                pass

            def add_scalar(self, *args, **kwargs):
                pass

            def add_image(self, *args, **kwargs):
                pass

            def close(self):
                pass

        sys.modules["tensorboardX"] = types.SimpleNamespace(SummaryWriter=SummaryWriter)
        print("shim: tensorboardX is not installed; a no-op SummaryWriter stands in")
    try:
        import IPython  # noqa: F401
    except ImportError:
        sys.modules["IPython"] = types.SimpleNamespace(embed=lambda *a, **k: None)
        print("shim: IPython is not installed; trainer.py only imports embed")
    try:
        import skimage.transform  # noqa: F401
    except ImportError:
        def resize(*args, **kwargs):
            raise RuntimeError("skimage is needed for velodyne ground truth; install python3-skimage")

        transform = types.SimpleNamespace(resize=resize)
        sys.modules["skimage"] = types.SimpleNamespace(transform=transform)
        sys.modules["skimage.transform"] = transform
        print("shim: skimage is not installed; it is only used for velodyne ground truth")


def patch_dataloader_next():
    from torch.utils.data import dataloader
    base = dataloader._BaseDataLoaderIter
    if not hasattr(base, "next"):
        base.next = base.__next__
        print("patch: DataLoader iterators get .next() = __next__ (Trainer.val calls self.val_iter.next())")


def patch_color_jitter(mono_dataset):
    """torchvision >= 0.8: get_params returns parameters; the reference wants the transform they define."""
    import torchvision.transforms as tv
    import torchvision.transforms.functional as tf

    probe = tv.ColorJitter.get_params((0.8, 1.2), (0.8, 1.2), (0.8, 1.2), (-0.1, 0.1))
    if callable(probe):
        return

    class ColorJitter(tv.ColorJitter):
        @staticmethod
        def get_params(brightness, contrast, saturation, hue):
            order, b, c, s, h = tv.ColorJitter.get_params(brightness, contrast, saturation, hue)

            def jitter(img):
                # The order and the four operations of torchvision's ColorJitter.forward.
                for fn_id in order:
                    if fn_id == 0 and b is not None:
                        img = tf.adjust_brightness(img, b)
                    elif fn_id == 1 and c is not None:
                        img = tf.adjust_contrast(img, c)
                    elif fn_id == 2 and s is not None:
                        img = tf.adjust_saturation(img, s)
                    elif fn_id == 3 and h is not None:
                        img = tf.adjust_hue(img, h)
                return img

            return jitter

    class Transforms:
        def __getattr__(self, name):
            return getattr(tv, name)

    shim = Transforms()
    shim.ColorJitter = ColorJitter
    mono_dataset.transforms = shim
    print("patch: the dataset's ColorJitter.get_params returns a transform applying its (order, b, c, s, h)")


def copy_code(checkout, data, code):
    """The reference reads splits/<split>/{train,val}_files.txt next to its trainer.py: a copy with our split."""
    if os.path.exists(code):
        shutil.rmtree(code)
    shutil.copytree(checkout, code, ignore=shutil.ignore_patterns(".git", "assets", "splits", "*.ipynb", "experiments"))
    split = os.path.join(code, "splits", "synthetic")
    os.makedirs(split)
    for name in ("train_files.txt", "val_files.txt"):
        shutil.copy(os.path.join(data, "splits", name), os.path.join(split, name))


class BudgetSpent(Exception):
    pass


class TimedLoader:
    """The training loader, stopping (by raising BudgetSpent) before a batch that would start after the deadline."""

    def __init__(self, loader, deadline):
        self.loader = loader
        self.deadline = deadline

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        for batch in self.loader:
            if time.time() >= self.deadline[0]:
                raise BudgetSpent()
            yield batch


def main():
    args = parse_args()
    checkout = os.path.abspath(args.checkout)
    if not os.path.isfile(os.path.join(checkout, "trainer.py")):
        sys.exit(f"{checkout} has no trainer.py: give the path of a nianticlabs/monodepth2 checkout")
    if args.num_workers is None:
        args.num_workers = 0 if args.threads >= 2 else 1
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    code = os.path.join(out, "code")
    copy_code(checkout, os.path.abspath(args.data), code)

    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    install_stubs()
    patch_dataloader_next()
    sys.path.insert(0, code)
    import datasets.mono_dataset as mono_dataset
    patch_color_jitter(mono_dataset)
    import trainer as reference
    from options import MonodepthOptions

    opts = MonodepthOptions().parser.parse_args([
        "--data_path", os.path.abspath(args.data), "--log_dir", out, "--model_name", "reference",
        "--png", "--no_cuda", "--weights_init", "scratch",
        "--width", str(args.width), "--height", str(args.height), "--batch_size", str(args.batch_size),
        "--num_workers", str(args.num_workers), "--log_frequency", str(args.log_frequency),
        "--num_epochs", "100000", "--save_frequency", "100000000"])
    opts.split = "synthetic"  # after parsing: --split only accepts the reference's own split names

    losses = []
    step_ends = []

    class Trainer(reference.Trainer):
        def compute_losses(self, inputs, outputs):
            result = super().compute_losses(inputs, outputs)
            if self.models["encoder"].training:  # not Trainer.val's batches
                losses.append(result["loss"].item())
                step_ends.append(time.time())
                if len(losses) % args.loss_every == 0:
                    recent = losses[-args.loss_every:]
                    print(f"step {len(losses)}: mean training loss of the last {len(recent)} steps "
                          f"{sum(recent) / len(recent):.5f}", flush=True)
            return result

    trainer = Trainer(opts)
    deadline = [float("inf")]
    trainer.train_loader = TimedLoader(trainer.train_loader, deadline)
    start = time.time()
    deadline[0] = start + args.minutes * 60
    try:
        trainer.train()
        stop = "epochs"
    except BudgetSpent:
        stop = "minutes"
    seconds = time.time() - start
    trainer.save_model()
    folder = os.path.join(out, "reference", "models", f"weights_{trainer.epoch}")
    summary = {
        "steps": trainer.step, "epochs_started": trainer.epoch + 1, "seconds": round(seconds, 1),
        "images_per_sec": round(trainer.step * args.batch_size / seconds, 2), "stopped_by": stop,
        "first_losses": [round(x, 5) for x in losses[:10]], "last_losses": [round(x, 5) for x in losses[-10:]],
        # The median time from one training loss to the next: the steady step time, without the stalls (epoch
        # starts, validation, a busy machine) that the images/s above include.
        "median_step_seconds": round(float(np.median(np.diff(step_ends))), 3) if len(step_ends) > 2 else None,
        "model": folder, "threads": args.threads, "num_workers": args.num_workers,
        "torch": torch.__version__,
    }
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(f"Stopped by {stop} after {trainer.step} steps in {seconds:.1f} s "
          f"({summary['images_per_sec']} images/s; median step {summary['median_step_seconds']} s); saved {folder}")


if __name__ == "__main__":
    main()
