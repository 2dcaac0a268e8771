"""Makes a large self-contained ONNX model with real weights for `npm run bench`.

usage: /usr/bin/python3 bench/makeLargeModel.py GRAPH_ONLY.onnx OUT.onnx [TARGET_MB]

Takes a graph-only model (external weights absent), fills every external initializer with random
float32 data stored inline, then appends a classifier-style chain of Gemm+Relu layers
(N -> 4096, 4096 -> 4096 ..., 4096 -> N) after the graph's single [1, N] output until the file is
about TARGET_MB (default 550). The result passes onnx.checker and onnx.shape_inference.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

WIDTH = 4096
rng = np.random.default_rng(0)


def random_tensor(name, dims):
    values = (rng.standard_normal(int(np.prod(dims)), dtype=np.float32) * 0.01).reshape(dims)
    return numpy_helper.from_array(values, name)


def fill_external_weights(graph):
    """Replaces every external initializer by random float32 data stored inline."""
    for i, t in enumerate(graph.initializer):
        if t.data_location != TensorProto.EXTERNAL:
            continue
        if t.data_type != TensorProto.FLOAT:
            raise SystemExit(f"initializer {t.name} is not float32; this script only fills float32")
        graph.initializer[i].CopyFrom(random_tensor(t.name, list(t.dims)))


def append_gemm(graph, x, n_in, n_out, index, relu):
    w, b, y = f"bench_fc{index}.weight", f"bench_fc{index}.bias", f"bench_fc{index}"
    graph.initializer.extend([random_tensor(w, [n_out, n_in]), random_tensor(b, [n_out])])
    graph.node.append(helper.make_node("Gemm", [x, w, b], [y], name=f"/bench/fc{index}/Gemm", transB=1))
    if not relu:
        return y
    graph.node.append(helper.make_node("Relu", [y], [y + ".relu"], name=f"/bench/fc{index}/Relu"))
    return y + ".relu"


def append_chain(graph, target_bytes):
    """Grows the graph after its [1, N] output with Gemm layers until weights reach target_bytes."""
    (out,) = graph.output
    dims = [d.dim_value for d in out.type.tensor_type.shape.dim]
    if len(dims) != 2 or dims[0] != 1:
        raise SystemExit(f"expected one output of shape [1, N], got {out.name} {dims}")
    n = dims[1]
    current = sum(len(t.raw_data) for t in graph.initializer)
    edge = 4 * (n * WIDTH + WIDTH) + 4 * (WIDTH * n + n)
    hidden = max(0, round((target_bytes - current - edge) / (4 * (WIDTH * WIDTH + WIDTH))))
    x = append_gemm(graph, out.name, n, WIDTH, 0, relu=True)
    for i in range(1, hidden + 1):
        x = append_gemm(graph, x, WIDTH, WIDTH, i, relu=True)
    y = append_gemm(graph, x, WIDTH, n, hidden + 1, relu=False)
    graph.output[0].CopyFrom(helper.make_tensor_value_info(y, TensorProto.FLOAT, [1, n]))
    return hidden


def main():
    source, target = sys.argv[1], sys.argv[2]
    target_mb = float(sys.argv[3]) if len(sys.argv) > 3 else 550
    model = onnx.load(source, load_external_data=False)
    fill_external_weights(model.graph)
    hidden = append_chain(model.graph, target_mb * 1e6)
    onnx.checker.check_model(model)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    if not inferred.graph.value_info:
        raise SystemExit("shape inference produced no value_info")
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    tmp = target + ".tmp"
    with open(tmp, "wb") as f:
        f.write(model.SerializeToString())
    os.replace(tmp, target)
    size = os.path.getsize(target)
    print(f"{target}: {size / 1e6:.1f} MB, {len(model.graph.initializer)} initializers, "
          f"{hidden} hidden {WIDTH}x{WIDTH} Gemm layers")


if __name__ == "__main__":
    main()
