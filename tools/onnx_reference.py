#!/usr/bin/python3
"""What PyTorch computes for the tensors an ONNX export calls "Conv outputs" (shared by the fixture and CI tools).

PyTorch's eval-mode export folds a BatchNorm that directly follows a Conv into the Conv's weights, so the ONNX Conv
node then outputs BN(conv(x)). `conv_tensors` records, in call order (= graph order for these models), each Conv2d's
output, replaced by the following BatchNorm2d's output when that BN consumes it and `folded` is true.
"""
import numpy as np
import torch
import torch.nn as nn


def conv_tensors(model, x, folded=True):
    """Run model(x) in eval mode; return (logits, [per-Conv tensors NCHW float32 numpy])."""
    records = []  # [conv output tensor, copy of the recorded tensor, replaced by a BN yet]
    handles = []

    # Copies, because torchvision's ReLUs are in place and would overwrite the recorded tensors.
    def on_conv(_m, _i, out):
        records.append([out, out.detach().clone(), False])

    def on_bn(_m, inp, out):
        if folded and records and records[-1][0] is inp[0] and not records[-1][2]:
            records[-1][1] = out.detach().clone()
            records[-1][2] = True

    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(on_conv))
        elif isinstance(m, nn.BatchNorm2d):
            handles.append(m.register_forward_hook(on_bn))
    with torch.no_grad():
        logits = model(x)
    for h in handles:
        h.remove()
    return logits.numpy().astype(np.float32), [r[1].numpy().astype(np.float32) for r in records]


def randomise_bn(model, gen):
    """Random running statistics and affine parameters, so a folded BN changes the tensors visibly."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(torch.randn(c, generator=gen) * 0.5)
            m.running_var.copy_(torch.rand(c, generator=gen) * 1.5 + 0.25)
            m.weight.data.copy_(torch.rand(c, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(c, generator=gen) * 0.2)


def images_to_input(pixels):
    """uint8 [n, h, w, c] -> float32 NCHW pixels/255 (the input contract without mean/std)."""
    x = torch.from_numpy(pixels.astype(np.float32) / 255.0)
    return x.permute(0, 3, 1, 2).contiguous()
