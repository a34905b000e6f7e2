#!/usr/bin/python3
"""Write tests/model/fixtures/parity.json: what PyTorch computes for a few test images with the final weights.

    /usr/bin/python3 tools/make_parity.py [weights.npz]

The TS parity test (tests/model/parity.test.ts) runs the exported TF.js model on the same uint8 images and
compares. Contents: the first 32 Fashion-MNIST test images (uint8, row-major 28x28), their labels, the eval-mode
logits, and for a few studied layers the pre-BatchNorm conv output at each image's top-L2 position (the spatial
position whose channel vector has the largest L2 norm) with that position.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_resnet import CACHE, MEAN, STD, ResNet18Q, load_split, normalise  # noqa: E402

N_IMAGES = 32
# conv01 = stem, conv06 = first stride-2 conv (checks the padding convention), conv17 = last conv.
LAYERS = {"conv01": "conv1", "conv06": "blocks.2.conv1", "conv17": "blocks.7.conv2"}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    weights = sys.argv[1] if len(sys.argv) > 1 else os.path.join(CACHE, "weights-final.npz")
    torch.set_num_threads(2)
    model = ResNet18Q()
    arrays = np.load(weights)
    state = {k: torch.from_numpy(arrays[k]) for k in arrays.files}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
    model.eval()

    x_test, y_test = load_split("t10k")
    images = x_test[:N_IMAGES]
    captured = {}
    modules = dict(model.named_modules())
    for name, path in LAYERS.items():
        modules[path].register_forward_hook(lambda m, i, o, name=name: captured.__setitem__(name, o.detach()))
    with torch.no_grad():
        logits = model(normalise(images)).numpy().astype(np.float64)

    top_l2 = {}
    for name, out in captured.items():
        a = out.numpy()  # N, C, H, W
        n, c, h, w = a.shape
        norms = np.sqrt((a.astype(np.float64) ** 2).sum(axis=1)).reshape(n, h * w)
        pos = norms.argmax(axis=1)
        ordered = np.sort(norms, axis=1)
        top_l2[name] = {
            "shape": [h, w, c],
            "position": [[int(p // w), int(p % w)] for p in pos],
            # Relative gap to the runner-up, so the test can tell a float tie from a real disagreement.
            "gap": [float((ordered[i, -1] - ordered[i, -2]) / ordered[i, -1]) for i in range(n)],
            "vector": [[float(v) for v in a[i, :, p // w, p % w]] for i, p in enumerate(pos)],
        }

    out = {
        "source": "first %d Fashion-MNIST test images; PyTorch %s eval mode, %s" % (
            N_IMAGES, torch.__version__, os.path.basename(weights)),
        "normalization": {"mean": MEAN, "std": STD},
        "height": 28,
        "width": 28,
        "pixels": [[int(v) for v in img.reshape(-1)] for img in images],
        "labels": [int(v) for v in y_test[:N_IMAGES]],
        "logits": [[float(v) for v in row] for row in logits],
        "topL2": top_l2,
    }
    path = os.path.join(ROOT, "tests", "model", "fixtures", "parity.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote", path, "accuracy on these images:", float((logits.argmax(1) == y_test[:N_IMAGES]).mean()))


if __name__ == "__main__":
    main()
