"""The slow profile's interoperability checks, run by PythonInteropTest with Debian's python3-onnx and python3-torch.

  python3 python_interop.py check FILE.onnx...            ONNX's own checker (full check, with shape inference)
  python3 python_interop.py torch WEIGHTS LAYERS IN OUT   load WEIGHTS strictly into the nn.Sequential LAYERS (JSON)
                                                          describes, run it on IN (float32, [n, inputs]), write OUT

A safetensors file is read here with a few lines (its 8-byte header length, the JSON header, then the bytes), as
the safetensors package is not in Debian.
"""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": np.float32, "F64": np.float64, "I64": np.int64}
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        out[name] = np.frombuffer(data[begin:end], dtype=dtypes[e["dtype"]]).reshape(e["shape"])
    return out


def sequential(layers):
    import torch.nn as nn
    made = []
    for layer in layers:
        kind = layer[0]
        if kind == "linear":
            made.append(nn.Linear(layer[1], layer[2], bias=layer[3]))
        elif kind == "batch_norm":
            made.append(nn.BatchNorm1d(layer[1], eps=layer[2], momentum=layer[3]))
        elif kind == "relu":
            made.append(nn.ReLU())
        elif kind == "sigmoid":
            made.append(nn.Sigmoid())
        elif kind == "tanh":
            made.append(nn.Tanh())
        elif kind == "leaky_relu":
            made.append(nn.LeakyReLU(layer[1]))
        elif kind == "elu":
            made.append(nn.ELU(layer[1]))
        elif kind == "gelu":
            made.append(nn.GELU(approximate="tanh"))
        elif kind == "softmax":
            made.append(nn.Softmax(dim=-1))
        elif kind in ("identity", "dropout"):
            made.append(nn.Identity())
        else:
            raise SystemExit("unknown layer " + kind)
    return nn.Sequential(*made)


def main():
    if sys.argv[1] == "check":
        import onnx
        for path in sys.argv[2:]:
            model = onnx.load(path)
            onnx.checker.check_model(model, full_check=True)
            print("ok", path, "ir", model.ir_version, "opset", model.opset_import[0].version)
    elif sys.argv[1] == "torch":
        import torch
        weights, layers, inputs, outputs = sys.argv[2:6]
        net = sequential(json.load(open(layers)))
        state = {k: torch.from_numpy(v.copy()) for k, v in read_safetensors(weights).items()}
        net.load_state_dict(state, strict=True)
        net.eval()
        width = net[0].in_features
        x = torch.from_numpy(np.fromfile(inputs, dtype="<f4").reshape(-1, width))
        with torch.no_grad():
            y = net(x).numpy().astype("<f4")
        y.tofile(outputs)
        print("ok", weights, "->", y.shape)
    else:
        raise SystemExit("unknown command " + sys.argv[1])


if __name__ == "__main__":
    main()
