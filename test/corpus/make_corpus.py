#!/usr/bin/python3
"""Regenerates the model corpus (good and bad files) with Debian's python3-onnx.

Run from the repository root: /usr/bin/python3 test/corpus/make_corpus.py
Each file's expected outcome is listed in test/corpus/corpus.json.
"""
import os
import random
import zipfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(__file__), 'models')
RESNET = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'resnet18.onnx')


def save(model, name, check=False):
    if check:
        onnx.checker.check_model(model)
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(model.SerializeToString())


def tiny(nodes, inputs=None, outputs=None, inits=(), opset=13, ir=8, name='tiny'):
    inputs = inputs or [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 4])]
    outputs = outputs or [helper.make_tensor_value_info('y', TensorProto.FLOAT, None)]
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)], producer_name='edgecut-corpus')
    model.ir_version = ir
    return model


def weight(name, shape, seed=0):
    return numpy_helper.from_array(np.random.default_rng(seed).standard_normal(shape).astype(np.float32), name)


def external(model, tensor, location, offset=0, length=None):
    """Marks an initializer as external data at `location` without writing the file."""
    t = next(t for t in model.graph.initializer if t.name == tensor)
    raw = t.raw_data
    t.ClearField('raw_data')
    t.data_location = TensorProto.EXTERNAL
    entries = [('location', location), ('offset', str(offset)), ('length', str(length if length is not None else len(raw)))]
    for k, v in entries:
        e = t.external_data.add()
        e.key, e.value = k, v
    return raw


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(42)
    resnet = open(RESNET, 'rb').read()
    open(os.path.join(OUT, 'truncated.onnx'), 'wb').write(resnet[: len(resnet) * 6 // 10])
    open(os.path.join(OUT, 'empty.onnx'), 'wb').write(b'')
    open(os.path.join(OUT, 'random.onnx'), 'wb').write(bytes(rng.getrandbits(8) for _ in range(4096)))
    with zipfile.ZipFile(os.path.join(OUT, 'archive.onnx'), 'w') as z:
        z.writestr('archive/data.pkl', b'not a model')
    open(os.path.join(OUT, 'tensor.onnx'), 'wb').write(numpy_helper.from_array(np.arange(6, dtype=np.int64)).SerializeToString())

    gemm = weight('w', [4, 4])
    save(tiny([], name='empty'), 'empty-graph.onnx', check=False)
    save(tiny([helper.make_node('Add', ['x', 'b'], ['a'], name='A'), helper.make_node('Relu', ['a'], ['b'], name='B'),
               helper.make_node('Identity', ['b'], ['y'], name='C')]), 'cycle.onnx', check=False)
    save(tiny([helper.make_node('Add', ['x', 'nowhere'], ['y'], name='adder')]), 'dangling.onnx', check=False)
    save(tiny([helper.make_node('Relu', ['x'], ['y'], name='r')],
              inputs=[helper.make_tensor_value_info('x', TensorProto.FLOAT, [1 << 30, 1 << 30, 1 << 30])]), 'overflow.onnx')
    save(tiny([helper.make_node('Concat', ['x', 'x'], ['y'], name='concat_without_axis')]), 'missing-attribute.onnx', check=False)
    save(tiny([helper.make_node('Relu', ['x'], ['y'], name='r1'), helper.make_node('Sigmoid', ['x'], ['y'], name='r2')]),
         'duplicate-output.onnx', check=False)

    for name, location in [('external-escape.onnx', '../../etc/passwd'), ('external-absolute.onnx', '/etc/passwd'),
                           ('external-symlink.onnx', 'escape.bin'), ('external-missing.onnx', 'external-missing.weights'),
                           ('external-short.onnx', 'external-short.weights'), ('external-present.onnx', 'external-present.weights')]:
        model = tiny([helper.make_node('Gemm', ['x', 'w'], ['y'], name='fc')], inits=[gemm])
        raw = external(model, 'w', location)
        save(model, name, check=False)
        if name == 'external-short.onnx':
            open(os.path.join(OUT, location), 'wb').write(raw[:10])
        if name == 'external-present.onnx':
            open(os.path.join(OUT, location), 'wb').write(raw)
    link = os.path.join(OUT, 'escape.bin')
    if not os.path.lexists(link):
        os.symlink('/etc/hostname', link)

    # Good files that exercise decoding corners.
    ir3 = tiny([helper.make_node('Relu', ['x'], ['y'], name='relu')], opset=7, ir=3)
    save(ir3, 'ir3-opset7.onnx')
    custom = tiny([helper.make_node('FusedGemm', ['x', 'w'], ['y'], name='fused', domain='com.microsoft')], inits=[gemm])
    custom.opset_import.append(helper.make_opsetid('com.microsoft', 1))
    custom.graph.output[0].CopyFrom(helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 4]))
    save(custom, 'custom-domain.onnx', check=False)
    sparse = tiny([helper.make_node('MatMul', ['x', 's'], ['y'], name='mm')])
    values = numpy_helper.from_array(np.array([1.0, 2.0], dtype=np.float32), 's')
    indices = numpy_helper.from_array(np.array([0, 5], dtype=np.int64), 's_indices')
    sparse.graph.sparse_initializer.append(helper.make_sparse_tensor(values, indices, [4, 4]))
    save(sparse, 'sparse-initializer.onnx', check=False)
    then_g = helper.make_graph([helper.make_node('Relu', ['x'], ['t'], name='then_relu')], 'then', [],
                               [helper.make_tensor_value_info('t', TensorProto.FLOAT, [1, 4])])
    else_g = helper.make_graph([helper.make_node('Sigmoid', ['x'], ['e'], name='else_sigmoid')], 'else', [],
                               [helper.make_tensor_value_info('e', TensorProto.FLOAT, [1, 4])])
    nested = tiny([helper.make_node('ReduceSum', ['x'], ['s'], name='sum', keepdims=0),
                   helper.make_node('Greater', ['s', 'zero'], ['c'], name='positive'),
                   helper.make_node('If', ['c'], ['y'], name='branch', then_branch=then_g, else_branch=else_g)],
                  inits=[numpy_helper.from_array(np.array(0, dtype=np.float32), 'zero')])
    save(nested, 'nested-if.onnx')
    constants = tiny([helper.make_node('Constant', [], ['shape'], name='target', value=numpy_helper.from_array(np.array([2, -1], dtype=np.int64))),
                      helper.make_node('Reshape', ['x', 'shape'], ['y'], name='reshape')])
    save(constants, 'constant-reshape.onnx')
    unknown = tiny([helper.make_node('Relu', ['x'], ['y'], name='relu')])
    data = unknown.SerializeToString() + bytes([0xF8, 0x06, 0x01])  # field 111, varint 1: unknown to every IR
    open(os.path.join(OUT, 'unknown-field.onnx'), 'wb').write(data)
    dims = tiny([helper.make_node('Relu', ['x'], ['y'], name='relu')],
                inputs=[helper.make_tensor_value_info('x', TensorProto.FLOAT, ['batch', 3, 'height', 'width'])])
    save(dims, 'symbolic-dims.onnx')
    mismatch = tiny([helper.make_node('Relu', ['x'], ['y'], name='relu')])
    mismatch.graph.value_info.append(helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 5]))
    save(mismatch, 'value-info-mismatch.onnx', check=False)


if __name__ == '__main__':
    main()
