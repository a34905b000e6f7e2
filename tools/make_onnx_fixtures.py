#!/usr/bin/python3
"""Write the small ONNX fixtures of tests/model/onnx*.test.ts, with PyTorch's own tensors as the reference.

    /usr/bin/python3 tools/make_onnx_fixtures.py

For each model below, tests/model/fixtures/onnx/NAME.onnx (torch.onnx.export, opset 13, dynamic batch) and
NAME.ref.json: a few seeded random uint8 images [n, h, w, c], the logits and every Conv node's output as PyTorch
computes it (NCHW float32, base64), in graph order, for pixels/255 input.

- plain:     conv-relu-conv(stride 2)-relu-conv-pool-linear, RGB 16x16.
- depthwise: MobileNet-style: stem, depthwise 3x3 (groups = C), pointwise 1x1, grouped 3x3 (groups = 4), BN + ReLU6
             after each, all BNs folded by the exporter; RGB 16x16.
- bnfolded:  conv-BN-relu twice with random BN statistics, exported in eval mode (BN folded into the convs).
- bnkept:    the same network exported with training=PRESERVE: BatchNormalization nodes stay, Conv outputs are pre-BN.
- dynamic:   grey input with dynamic H and W (exported at 20x20); references at 20x20 and 12x12.

Bad inputs (onnx.helper, no reference): badop.onnx (an operator in the default domain no runtime has),
customop.onnx (an operator of a custom domain), flat.onnx (a 2-D input), external.onnx whose weights live in
external.weights (committed, so the test can give it or leave it out).
"""
import base64
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_reference import conv_tensors, images_to_input, randomise_bn  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "model", "fixtures", "onnx")
N_IMAGES = 5


def plain():
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(),
        nn.Conv2d(8, 12, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(12, 16, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 5),
    )


def depthwise():
    def cbr(cin, cout, k, stride=1, groups=1):
        return [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU6()]
    return nn.Sequential(
        *cbr(3, 16, 3, 2), *cbr(16, 16, 3, groups=16), *cbr(16, 24, 1), *cbr(24, 24, 3, 2, groups=24),
        *cbr(24, 32, 1), *cbr(32, 32, 3, groups=4),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4),
    )


def bn_net():
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3),
    )


def dynamic():
    return nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.Conv2d(6, 10, 3, stride=2, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(10, 3),
    )


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def reference(model, pixels, folded):
    logits, convs = conv_tensors(model, images_to_input(pixels), folded=folded)
    return {
        "pixels": base64.b64encode(pixels.tobytes()).decode("ascii"),
        "shape": list(pixels.shape),
        "logits": {"dims": list(logits.shape), "data": b64(logits)},
        "convs": [{"dims": list(t.shape), "data": b64(t)} for t in convs],
    }


def export(model, name, size, channels, rng, preserve=False, dynamic_hw=False, extra_sizes=()):
    x = torch.zeros(1, channels, size, size)
    path = os.path.join(OUT, name + ".onnx")
    axes = {"input": {0: "batch", 2: "height", 3: "width"} if dynamic_hw else {0: "batch"}}
    kw = {"training": torch.onnx.TrainingMode.PRESERVE} if preserve else {}
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["logits"], dynamic_axes=axes,
                      opset_version=13, **kw)
    refs = []
    for s in (size,) + tuple(extra_sizes):
        pixels = rng.integers(0, 256, size=(N_IMAGES, s, s, channels), dtype=np.uint8)
        refs.append(reference(model, pixels, folded=not preserve))
    with open(os.path.join(OUT, name + ".ref.json"), "w") as f:
        json.dump({"model": name + ".onnx", "torch": torch.__version__, "preserveBatchNorm": preserve, "references": refs}, f)
    print(name, os.path.getsize(path), "bytes;", len(refs[0]["convs"]), "convs")


def bad_inputs():
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    def conv_model(op="Conv", domain="", name="badop"):
        w = numpy_helper.from_array(np.ones((2, 1, 3, 3), dtype=np.float32), "w")
        node = helper.make_node(op, ["input", "w"], ["y"], domain=domain, name="/conv/" + op)
        g = helper.make_graph([node], name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 1, 8, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [w])
        opsets = [helper.make_opsetid("", 13)] + ([helper.make_opsetid(domain, 1)] if domain else [])
        return helper.make_model(g, opset_imports=opsets, ir_version=7)

    onnx.save(conv_model("FancyConv"), os.path.join(OUT, "badop.onnx"))
    onnx.save(conv_model("FancyConv", "com.example", "customop"), os.path.join(OUT, "customop.onnx"))
    m = conv_model("Conv", "", "external")
    onnx.save_model(m, os.path.join(OUT, "external.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external.weights", size_threshold=0)
    w = numpy_helper.from_array(np.ones((4, 3), dtype=np.float32), "w")
    g = helper.make_graph([helper.make_node("MatMul", ["input", "w"], ["y"])], "flat",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])], [w])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], ir_version=7), os.path.join(OUT, "flat.onnx"))


def main():
    torch.set_num_threads(1)
    torch.manual_seed(7)
    gen = torch.Generator().manual_seed(7)
    rng = np.random.default_rng(7)
    os.makedirs(OUT, exist_ok=True)
    export(plain().eval(), "plain", 16, 3, rng)
    m = depthwise()
    randomise_bn(m, gen)
    export(m.eval(), "depthwise", 16, 3, rng)
    m = bn_net()
    randomise_bn(m, gen)
    export(m.eval(), "bnfolded", 12, 3, rng)
    export(m.eval(), "bnkept", 12, 3, rng, preserve=True)
    export(dynamic().eval(), "dynamic", 20, 1, rng, dynamic_hw=True, extra_sizes=(12,))
    bad_inputs()


if __name__ == "__main__":
    main()
