#!/usr/bin/python3
"""torchvision's resnet18 (20 convs) and mobilenet_v2 (52 convs, depthwise) as ONNX, with PyTorch's tensors.

    /usr/bin/python3 tools/onnx_torchvision.py OUTDIR [N_IMAGES] [MODELS] [SEED]

Random weights, random BatchNorm statistics and random images from SEED (default 3; the test passes a fresh one each
run), exported by PyTorch in eval mode at 48x48 with a dynamic
batch (BatchNorm folded into the convs). Writes, under OUTDIR (too big to commit; tests/model/onnxTorchvision.test.ts
builds it in a temp dir):
  images/a/img00.png … images/b/imgNN.png   seeded random 48x48 RGB PNGs, two class folders
  MODEL.onnx
  MODEL/conv-000.npy …                      every Conv node's output as PyTorch computes it (NCHW float32),
                                            graph order, for pixels/255 of the images in (class, file name) order
  MODEL/logits.npy
MODELS: comma list of resnet18, mobilenet_v2 (default both, "all" too).
"""
import json
import os
import sys

import numpy as np
import torch
import torchvision
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_reference import conv_tensors, images_to_input, randomise_bn  # noqa: E402

SIZE = 48


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    names = sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] != "all" else ["resnet18", "mobilenet_v2"]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(n, SIZE, SIZE, 3), dtype=np.uint8)
    for i in range(n):
        cls = "a" if i < (n + 1) // 2 else "b"
        os.makedirs(os.path.join(out, "images", cls), exist_ok=True)
        Image.fromarray(pixels[i], "RGB").save(os.path.join(out, "images", cls, "img%02d.png" % i))
    summary = {}
    for name in names:
        model = getattr(torchvision.models, name)(num_classes=10)
        randomise_bn(model, gen)
        model.eval()
        torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), os.path.join(out, name + ".onnx"),
                          input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "batch"}},
                          opset_version=13)
        logits, convs = conv_tensors(model, images_to_input(pixels), folded=True)
        os.makedirs(os.path.join(out, name), exist_ok=True)
        for k, t in enumerate(convs):
            np.save(os.path.join(out, name, "conv-%03d.npy" % k), t)
        np.save(os.path.join(out, name, "logits.npy"), logits)
        summary[name] = len(convs)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
