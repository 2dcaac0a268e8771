#!/usr/bin/python3
"""Writes test/fixtures/densenet121.onnx: a graph-only DenseNet-121 for testing that the
graph view stays usable on big models. Needs only Debian's python3-onnx and numpy (no torch).

Run from the repository root: /usr/bin/python3 test/corpus/make_densenet.py

Structure follows torchvision's densenet121: stem conv7x7/2 + BN + ReLU + maxpool 3x3/2;
dense blocks of 6, 12, 24, 16 layers (growth rate 32, bottleneck 4 x 32; each layer is
BN -> ReLU -> Conv1x1 -> BN -> ReLU -> Conv3x3, then Concat with the block's running features);
transitions BN -> ReLU -> Conv1x1 (compression 0.5) -> AveragePool 2x2/2; final BN -> ReLU ->
GlobalAveragePool -> Flatten -> Gemm 1000. Opset 13, input `input` float32 [1,3,224,224],
output `output` [1,1000]. Node and initializer names mimic PyTorch's ONNX exporter.

Like the shared example models the file is graph only: every float initializer larger than
4 KiB is marked as external data in `densenet121.onnx.weights` (offsets as if the tensors were
written one after another), and that file is deliberately not written. Smaller tensors
(BatchNorm parameters, the classifier bias) are stored inline.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures')
NAME = 'densenet121.onnx'
WEIGHTS = NAME + '.weights'
EXTERNAL_ABOVE_BYTES = 4096

GROWTH = 32
BN_SIZE = 4
BLOCKS = (6, 12, 24, 16)
STEM = 64
CLASSES = 1000


class Builder:
    def __init__(self):
        self.nodes = []
        self.initializers = []
        self.offset = 0  # next free byte of the (unwritten) external weights file

    def init(self, name, shape, fill=None):
        """Adds a float initializer; large ones become external references without data."""
        count = int(np.prod(shape))
        nbytes = count * 4
        if nbytes > EXTERNAL_ABOVE_BYTES:
            t = TensorProto()
            t.name = name
            t.data_type = TensorProto.FLOAT
            t.dims.extend(shape)
            t.data_location = TensorProto.EXTERNAL
            for k, v in (('location', WEIGHTS), ('offset', str(self.offset)), ('length', str(nbytes))):
                e = t.external_data.add()
                e.key, e.value = k, v
            self.offset += nbytes
        else:
            t = numpy_helper.from_array(np.full(shape, 0.0 if fill is None else fill, dtype=np.float32), name)
        self.initializers.append(t)
        return name

    def node(self, op, scope, inputs, **attrs):
        """Adds `op` named like PyTorch's exporter (`{scope}/{op}`); returns its output name."""
        name = f'{scope}/{op}'
        out = f'{name}_output_0'
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def bn(self, scope, x, prefix, channels):
        params = [self.init(f'{prefix}.{p}', [channels], fill)
                  for p, fill in (('weight', 1.0), ('bias', 0.0), ('running_mean', 0.0), ('running_var', 1.0))]
        return self.node('BatchNormalization', scope, [x] + params, epsilon=1e-5, momentum=0.9)

    def conv(self, scope, x, prefix, cin, cout, k, stride=1, pad=0):
        w = self.init(f'{prefix}.weight', [cout, cin, k, k])
        return self.node('Conv', scope, [x, w], dilations=[1, 1], group=1, kernel_shape=[k, k],
                         pads=[pad] * 4, strides=[stride, stride])


def build():
    b = Builder()
    x = 'input'
    x = b.conv('/features/conv0', x, 'features.conv0', 3, STEM, 7, stride=2, pad=3)
    x = b.bn('/features/norm0', x, 'features.norm0', STEM)
    x = b.node('Relu', '/features/relu0', [x])
    x = b.node('MaxPool', '/features/pool0', [x], ceil_mode=0, kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])
    channels = STEM
    for i, layers in enumerate(BLOCKS, start=1):
        for j in range(1, layers + 1):
            scope, prefix = f'/features/denseblock{i}/denselayer{j}', f'features.denseblock{i}.denselayer{j}'
            y = b.bn(f'{scope}/norm1', x, f'{prefix}.norm1', channels)
            y = b.node('Relu', f'{scope}/relu1', [y])
            y = b.conv(f'{scope}/conv1', y, f'{prefix}.conv1', channels, BN_SIZE * GROWTH, 1)
            y = b.bn(f'{scope}/norm2', y, f'{prefix}.norm2', BN_SIZE * GROWTH)
            y = b.node('Relu', f'{scope}/relu2', [y])
            y = b.conv(f'{scope}/conv2', y, f'{prefix}.conv2', BN_SIZE * GROWTH, GROWTH, 3, pad=1)
            x = b.node('Concat', scope, [x, y], axis=1)
            channels += GROWTH
        if i < len(BLOCKS):
            scope, prefix = f'/features/transition{i}', f'features.transition{i}'
            x = b.bn(f'{scope}/norm', x, f'{prefix}.norm', channels)
            x = b.node('Relu', f'{scope}/relu', [x])
            x = b.conv(f'{scope}/conv', x, f'{prefix}.conv', channels, channels // 2, 1)
            x = b.node('AveragePool', f'{scope}/pool', [x], ceil_mode=0, kernel_shape=[2, 2], pads=[0, 0, 0, 0],
                       strides=[2, 2])
            channels //= 2
    x = b.bn('/features/norm5', x, 'features.norm5', channels)
    x = b.node('Relu', '', [x])
    x = b.node('GlobalAveragePool', '', [x])
    x = b.node('Flatten', '', [x], axis=1)
    w = b.init('classifier.weight', [CLASSES, channels])
    bias = b.init('classifier.bias', [CLASSES])
    gemm = helper.make_node('Gemm', [x, w, bias], ['output'], name='/classifier/Gemm', alpha=1.0, beta=1.0, transB=1)
    b.nodes.append(gemm)

    graph = helper.make_graph(
        b.nodes, 'main_graph',
        [helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, 3, 224, 224])],
        [helper.make_tensor_value_info('output', TensorProto.FLOAT, [1, CLASSES])],
        initializer=b.initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)],
                              producer_name='edgecut-corpus', producer_version='densenet121')
    model.ir_version = 7
    return model, b.offset


def check(model):
    """Checks the model without the (absent) weights file, then infers the output shape."""
    try:
        onnx.checker.check_model(model)
    except onnx.checker.ValidationError as e:
        print(f'checker needs the external data ({str(e).splitlines()[0]}); checking a zero-filled copy instead')
        filled = onnx.ModelProto()
        filled.CopyFrom(model)
        for t in filled.graph.initializer:
            if t.data_location == TensorProto.EXTERNAL:
                t.raw_data = np.zeros(list(t.dims), dtype=np.float32).tobytes()
                t.data_location = TensorProto.DEFAULT
                del t.external_data[:]
        onnx.checker.check_model(filled)
        model = filled
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    out = inferred.graph.output[0].type.tensor_type.shape
    dims = [d.dim_value for d in out.dim]
    assert dims == [1, CLASSES], dims


def main():
    model, external_bytes = build()
    check(model)
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, NAME)
    data = model.SerializeToString()
    with open(path, 'wb') as f:
        f.write(data)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    print(f'{os.path.relpath(path)}: {len(data)} bytes, {len(model.graph.node)} nodes, '
          f'{len(model.graph.initializer)} initializers, {params} params, '
          f'{external_bytes} bytes external in {WEIGHTS} (not written)')


if __name__ == '__main__':
    main()
