#!/usr/bin/python3
"""Writes test/fixtures/torchvision/*.onnx: graph-only exports of torchvision architectures the
shared models do not cover (squeeze-and-excitation, hard-swish, SiLU, channel shuffle, grouped
convolutions), for the device benchmark's leave-one-model-out fit and the parser's corpus.

Needs Debian's python3-torch and python3-torchvision (1.13 / 0.14; apt-get install
python3-torchvision). Run from the repository root: /usr/bin/python3 test/corpus/make_torchvision.py

Each network is exported as torch.onnx.export writes it for inference (eval mode, opset 13,
constant folding: batch norms folded into their convolutions where the exporter does so), input
`input` float32 [1,3,224,224], output `output`. The weights are random (untrained): latency on a
CPU does not depend on their values. Like the shared example models the files are graph only:
every float initializer larger than 4 KiB is marked as external data in `NAME.weights` (offsets
as if the tensors were written one after another), and that file is deliberately not written;
EdgeCut's profiler gives such models synthetic weights of the right shapes.
"""
import io
import os

import onnx
import torch
import torchvision

from make_corpus import external

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'torchvision')
EXTERNAL_ABOVE_BYTES = 4096
MODELS = (
    'mobilenet_v3_small',
    'mobilenet_v3_large',
    'shufflenet_v2_x1_0',
    'mnasnet1_0',
    'efficientnet_b0',
    'regnet_y_400mf',
)


def graph_only(model, weights):
    offset = 0
    for t in model.graph.initializer:
        if t.data_type == onnx.TensorProto.FLOAT and len(t.raw_data) > EXTERNAL_ABOVE_BYTES:
            offset += len(external(model, t.name, weights, offset))
    return model


def export(name):
    torch.manual_seed(0)
    net = getattr(torchvision.models, name)(weights=None).eval()
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(net, torch.rand(1, 3, 224, 224), buffer, opset_version=13, do_constant_folding=True,
                          input_names=['input'], output_names=['output'])
    model = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(model)
    model = graph_only(model, name + '.onnx.weights')
    path = os.path.join(OUT_DIR, name + '.onnx')
    onnx.save(model, path)
    print(f'{path}: {len(model.graph.node)} nodes, {os.path.getsize(path)} bytes')


if __name__ == '__main__':
    os.makedirs(OUT_DIR, exist_ok=True)
    for name in MODELS:
        export(name)
