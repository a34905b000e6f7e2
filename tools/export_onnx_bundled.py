#!/usr/bin/python3
"""Export the bundled model as ONNX: public/models/resnet18q-final.onnx (+ resnet18q-final.preprocess.json).

    /usr/bin/python3 tools/export_onnx_bundled.py [NAME]      # NAME = resnet18q-final (default), -epoch1, -init

The PyTorch weights (tools/.cache/weights-*.npz) are not in the repository, so the PyTorch module of
tools/train_resnet.py is rebuilt from the shipped TF.js weights (exact float32 copies of PyTorch's: export_tfjs.ts
only transposed them). The export keeps the paper's tensors: training=TrainingMode.PRESERVE on an eval-mode model
skips the exporter's Conv+BatchNorm folding, so the graph has 17 Conv nodes whose outputs are the pre-BN conv outputs,
each followed by an (inference-mode) BatchNormalization node. The option-A shortcuts become Slice + Pad, not convs.
Prints the largest logit difference to tests/model/fixtures/parity.json (PyTorch at training time).
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_resnet import ResNet18Q, normalise  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tfjs_weights(model_dir):
    with open(os.path.join(model_dir, "model.json")) as f:
        manifest = json.load(f)["weightsManifest"]
    out = {}
    for group in manifest:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            assert w["dtype"] == "float32", w
            size = int(np.prod(w["shape"])) if w["shape"] else 1
            out[w["name"]] = np.frombuffer(data, dtype="<f4", count=size, offset=off).reshape(w["shape"]).copy()
            off += 4 * size
    return out


def prefixes(k):
    """PyTorch module names of studied conv k (1-based) and its BatchNorm (as in tools/export_tfjs.ts)."""
    if k == 1:
        return "conv1", "bn1"
    block, which = (k - 2) // 2, "1" if (k - 2) % 2 == 0 else "2"
    return "blocks.%d.conv%s" % (block, which), "blocks.%d.bn%s" % (block, which)


def build(model_dir):
    w = tfjs_weights(model_dir)
    state = {}
    for k in range(1, 18):
        conv, bn = prefixes(k)
        state[conv + ".weight"] = w["conv%02d/kernel" % k].transpose(3, 2, 0, 1)  # [kh,kw,in,out] -> [out,in,kh,kw]
        for ours, theirs in (("weight", "gamma"), ("bias", "beta"), ("running_mean", "moving_mean"), ("running_var", "moving_variance")):
            state["%s.%s" % (bn, ours)] = w["bn%02d/%s" % (k, theirs)]
    state["fc.weight"] = w["logits/kernel"].T
    state["fc.bias"] = w["logits/bias"]
    model = ResNet18Q()
    missing, unexpected = model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}, strict=False)
    assert not unexpected and all(k.endswith("num_batches_tracked") for k in missing), (missing, unexpected)
    return model.eval()


def main():
    torch.set_num_threads(1)
    name = sys.argv[1] if len(sys.argv) > 1 else "resnet18q-final"
    model_dir = os.path.join(ROOT, "public", "models", name)
    with open(os.path.join(model_dir, "card.json")) as f:
        card = json.load(f)
    model = build(model_dir)
    out = os.path.join(ROOT, "public", "models", name + ".onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), out, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}}, opset_version=13,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    norm = card["normalization"]
    with open(os.path.join(ROOT, "public", "models", name + ".preprocess.json"), "w") as f:
        json.dump({"mean": [norm["mean"]], "std": [norm["std"]], "classNames": card["classNames"]}, f, indent=2)
        f.write("\n")
    import onnx
    ops = [n.op_type for n in onnx.load(out).graph.node]
    print(out, os.path.getsize(out), "bytes;", ops.count("Conv"), "Conv,", ops.count("BatchNormalization"), "BatchNormalization")
    if name == "resnet18q-final":
        with open(os.path.join(ROOT, "tests", "model", "fixtures", "parity.json")) as f:
            parity = json.load(f)
        pixels = np.array(parity["pixels"], dtype=np.uint8).reshape(-1, 28, 28)
        with torch.no_grad():
            logits = model(normalise(pixels)).numpy()
        print("largest logit difference to the training-time PyTorch logits:", float(np.abs(logits - np.array(parity["logits"])).max()))


if __name__ == "__main__":
    main()
