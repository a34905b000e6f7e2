#!/usr/bin/python3
"""Train the bundled quarter-width CIFAR-style ResNet-18 on Fashion-MNIST.

Run with Debian's interpreter (it has torch 1.13 CPU):

    THREADS=1 nohup /usr/bin/python3 tools/train_resnet.py > tools/.cache/train.out 2>&1 &

Writes, under tools/.cache/ (gitignored):
  weights-init.npz    parameters + BN running stats before any optimiser step
  weights-epoch1.npz  after the first epoch
  weights-final.npz   after the last epoch
  train-log.jsonl     one JSON line per epoch (loss, train/test accuracy, seconds)
  train-summary.json  hyper-parameters and final test accuracy (read by the exporter for card.json)
  resume.pt           full training state after the last finished epoch (RESUME=1 continues from it)

Architecture (must match src/model/resnet.ts): 3x3 stem conv 16 ch stride 1 -> BN -> ReLU;
stages of two BasicBlocks with widths 16/32/64/128, first block of stages 2-4 stride 2
(28 -> 14 -> 7 -> 4); option-A shortcut (x[:, :, ::2, ::2] zero-padded in channels);
global average pool; linear 10. Convs have no bias. BN eps 1e-5.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))
# TRAIN_CACHE and SEED let further training runs (other seeds) write beside the shipped one.
CACHE = os.environ.get("TRAIN_CACHE", os.path.join(HERE, ".cache"))

MEAN = 0.2860
STD = 0.3530
SEED = int(os.environ.get("SEED", "20240607"))
EPOCHS = int(os.environ.get("EPOCHS", "12"))
# Two threads is fastest on an idle 2-core machine; on a shared, busy one a single thread is several times faster
# (two OpenMP threads spin at every barrier while one of them is descheduled). The shipped run used THREADS=1.
THREADS = int(os.environ.get("THREADS", "2"))
BATCH = 128
LR = 0.1
WD = 5e-4


def read_idx(path):
    """IDX reader: big-endian header, magic 0x0000 08 NDIM, then uint8 data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    assert raw[0] == 0 and raw[1] == 0 and raw[2] == 8, "not a uint8 IDX file: " + path
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    return data.reshape(dims)


def load_split(name):
    x = read_idx(os.path.join(DATA_DIR, f"{name}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(DATA_DIR, f"{name}-labels-idx1-ubyte.gz"))
    return x, y.astype(np.int64)


def normalise(x_uint8):
    """(x/255 - mean)/std, NCHW float32."""
    x = torch.from_numpy(x_uint8.astype(np.float32) / 255.0)
    return ((x - MEAN) / STD).unsqueeze(1)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride = stride
        self.extra = cout - cin

    def shortcut(self, x):
        # Option A: parameter-free; subsample spatially and zero-pad new channels at the end.
        if self.stride == 1 and self.extra == 0:
            return x
        x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, 0, self.extra))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet18Q(nn.Module):
    WIDTHS = (16, 32, 64, 128)

    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks = []
        cin = 16
        for s, w in enumerate(self.WIDTHS):
            for b in range(2):
                stride = 2 if (s > 0 and b == 0) else 1
                blocks.append(BasicBlock(cin, w, stride))
                cin = w
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(128, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.blocks(x)
        x = x.mean(dim=(2, 3))
        return self.fc(x)


def save_npz(model, path):
    arrays = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()
              if not k.endswith("num_batches_tracked")}
    np.savez(path, **arrays)


def augment(x_uint8, rng):
    """Random crop with 2-pixel zero padding + random horizontal flip, vectorised over offsets."""
    n = x_uint8.shape[0]
    padded = np.zeros((n, 32, 32), dtype=np.uint8)
    padded[:, 2:30, 2:30] = x_uint8
    ox = rng.integers(0, 5, n)
    oy = rng.integers(0, 5, n)
    out = np.empty_like(x_uint8)
    for dy in range(5):
        for dx in range(5):
            idx = np.nonzero((oy == dy) & (ox == dx))[0]
            out[idx] = padded[idx, dy:dy + 28, dx:dx + 28]
    flip = rng.random(n) < 0.5
    out[flip] = out[flip, :, ::-1]
    return out


@torch.no_grad()
def evaluate(model, x, y, batch=500):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        logits = model(normalise(x[i:i + batch]))
        correct += int((logits.argmax(1).numpy() == y[i:i + batch]).sum())
    return correct / len(x)


def main():
    os.makedirs(CACHE, exist_ok=True)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(THREADS)
    torch.set_num_interop_threads(1)
    rng = np.random.default_rng(SEED)

    x_train, y_train = load_split("train")
    x_test, y_test = load_split("t10k")
    model = ResNet18Q()
    save_npz(model, os.path.join(CACHE, "weights-init.npz"))

    steps_per_epoch = (len(x_train) + BATCH - 1) // BATCH
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9, nesterov=True, weight_decay=WD)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, epochs=EPOCHS,
                                                steps_per_epoch=steps_per_epoch)
    log_path = os.path.join(CACHE, "train-log.jsonl")
    resume_path = os.path.join(CACHE, "resume.pt")
    first_epoch = 1
    if os.environ.get("RESUME") == "1" and os.path.exists(resume_path):
        # Continue an interrupted run exactly: weights, optimiser, schedule and both RNG streams.
        state = torch.load(resume_path)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        rng.bit_generator.state = state["rng"]
        torch.set_rng_state(state["torch_rng"])
        test_acc = state["test_acc"]
        first_epoch = state["epoch"] + 1
        t_start = time.time() - state["elapsed"]
        print("resuming at epoch", first_epoch, flush=True)
    else:
        open(log_path, "w").close()
        test_acc = {"init": evaluate(model, x_test, y_test)}
        t_start = time.time()
    for epoch in range(first_epoch, EPOCHS + 1):
        t0 = time.time()
        model.train()
        xa = augment(x_train, rng)
        perm = rng.permutation(len(xa))
        tot_loss, tot_correct = 0.0, 0
        for i in range(0, len(perm), BATCH):
            idx = perm[i:i + BATCH]
            xb = normalise(xa[idx])
            yb = torch.from_numpy(y_train[idx])
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot_loss += float(loss) * len(idx)
            tot_correct += int((logits.argmax(1) == yb).sum())
        acc = evaluate(model, x_test, y_test)
        rec = {"epoch": epoch, "loss": tot_loss / len(perm), "train_acc": tot_correct / len(perm),
               "test_acc": acc, "seconds": round(time.time() - t0, 1)}
        with open(log_path, "a") as f:
            f.write(json.dumps(rec) + "\n")
        print(json.dumps(rec), flush=True)
        if epoch == 1:
            save_npz(model, os.path.join(CACHE, "weights-epoch1.npz"))
            test_acc["epoch1"] = acc
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "rng": rng.bit_generator.state, "torch_rng": torch.get_rng_state(), "test_acc": test_acc,
                    "epoch": epoch, "elapsed": time.time() - t_start}, resume_path)
    save_npz(model, os.path.join(CACHE, "weights-final.npz"))
    test_acc["final"] = acc
    summary = {
        "seed": SEED, "epochs": EPOCHS, "batch": BATCH, "optimizer": "SGD momentum 0.9 nesterov",
        "weight_decay": WD, "lr_schedule": f"OneCycleLR max_lr={LR}",
        "augmentation": "random crop 28x28 from 2-pixel zero padding + random horizontal flip",
        "normalisation": {"mean": MEAN, "std": STD},
        "test_accuracy": test_acc, "train_seconds": round(time.time() - t_start, 1),
        "torch_version": torch.__version__, "threads": THREADS,
    }
    with open(os.path.join(CACHE, "train-summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print("done", json.dumps(test_acc), flush=True)


if __name__ == "__main__":
    sys.exit(main())
