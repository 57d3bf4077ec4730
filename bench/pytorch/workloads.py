#!/usr/bin/env python3
"""The workloads of `backprop bench --workload NAME`, in PyTorch, for comparison only (never a dependency).

Prints the same JSON keys as the Java command, so that bench/compare.sh can pair them:

    python3 bench/pytorch/workloads.py --workload fashion-mlp --threads 2 --json

Needs PyTorch (Debian: apt-get install python3-torch) and, for fashion-mlp, Fashion-MNIST
(Debian: apt-get install dataset-fashion-mnist). `--threads N` sets PyTorch's intra-op threads and, through
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set before torch is imported, those of the BLAS it calls; inter-op threads
are 1. Debian's python3-torch calls the system libblas.so.3: install libopenblas0-pthread for an optimised one,
else it runs the reference BLAS (about 4 GFLOP/s) and every comparison is meaningless.
"""
import argparse
import gc
import gzip
import json
import os
import resource
import struct
import sys
import time

WORKLOADS = ("fashion-mlp", "tiny-sigmoid", "wide-mlp", "infer-latency")

# Seed 000's six observations: the same numbers as TinySigmoid.X and TinySigmoid.Y in the Java bench.
TINY_X = [[0.10, 0.50, 0.20, 0.90],
          [0.40, 0.30, 0.80, 0.10],
          [0.70, 0.90, 0.40, 0.60],
          [0.20, 0.80, 0.60, 0.30],
          [0.90, 0.10, 0.30, 0.50],
          [0.50, 0.60, 0.90, 0.20]]
TINY_Y = [[0.25], [0.45], [0.80], [0.55], [0.35], [0.70]]
TINY_STEPS = 20_000
TINY_WARMUP_S = 2.0
WIDE_BATCH, WIDE_STEPS, WIDE_WARMUP = 256, 30, 5
INFER_CALLS = 5_000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", required=True, choices=WORKLOADS)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--blas-threads", type=int, default=None,
                   help="threads of the BLAS torch calls (default: --threads); torch's own stay --threads")
    p.add_argument("--json", action="store_true")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--seed", type=int, default=42)
    return p.parse_args()


args = parse_args()
# Before torch loads: the BLAS reads these once.
blas_threads = args.threads if args.blas_threads is None else args.blas_threads
os.environ["OMP_NUM_THREADS"] = str(blas_threads)
os.environ["OPENBLAS_NUM_THREADS"] = str(blas_threads)
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.set_num_interop_threads(1)
torch.manual_seed(args.seed)


def peak_rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    t = torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8)
    return t.reshape(dims)


def fashion(directory, prefix):
    def file(name):
        gz = os.path.join(directory, name + ".gz")
        return gz if os.path.exists(gz) else os.path.join(directory, name)
    images = read_idx(file(prefix + "-images-idx3-ubyte"))
    labels = read_idx(file(prefix + "-labels-idx1-ubyte"))
    return images.reshape(images.shape[0], -1).float() / 255, labels.long()


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def fashion_mlp(a):
    x, y = fashion(a.data, "train")
    tx, ty = fashion(a.data, "t10k")
    model = mlp([784, 256, 128, 10])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(a.seed)
    n = x.shape[0]
    gc_before = sum(s["collections"] for s in gc.get_stats())
    per_epoch, loss = [], None
    start = time.perf_counter()
    for _ in range(a.epochs):
        t = time.perf_counter()
        order = torch.randperm(n, generator=g)
        for i in range(0, n, a.batch_size):
            idx = order[i:i + a.batch_size]
            out = model(x[idx])
            loss = F.cross_entropy(out, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        per_epoch.append(n / (time.perf_counter() - t))
    seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = (model(tx).argmax(1) == ty).float().mean().item()
    return {"batch_size": a.batch_size, "epochs": a.epochs,
            "samples_per_s": n * a.epochs / seconds, "epoch_samples_per_s": per_epoch,
            "test_accuracy": accuracy, "final_loss": loss.item(),
            "gc_count": sum(s["collections"] for s in gc.get_stats()) - gc_before}


def tiny_sigmoid(a):
    x, y = torch.tensor(TINY_X), torch.tensor(TINY_Y)
    model = nn.Sequential(nn.Linear(4, 5), nn.Sigmoid(), nn.Linear(5, 1), nn.Sigmoid())
    opt = torch.optim.SGD(model.parameters(), lr=0.5)

    def steps():
        for _ in range(TINY_STEPS):
            loss = 0.5 * ((y - model(x)) ** 2).sum()   # half the sum of squares, as HalfSumSquares
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss

    warm_end = time.perf_counter() + TINY_WARMUP_S   # warm-up: whole blocks for 2 s, as the Java bench does
    steps()
    while time.perf_counter() < warm_end:
        steps()
    best = float("inf")
    for _ in range(a.repeats):
        t = time.perf_counter()
        loss = steps()
        best = min(best, time.perf_counter() - t)
    return {"steps": TINY_STEPS, "repeats": a.repeats, "steps_per_s": TINY_STEPS / best, "final_loss": loss.item()}


def sgemm_gflops(n):
    a, b = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1
    c = torch.empty(n, n)
    best, end = float("inf"), time.perf_counter() + 1.3
    for i in range(1000):
        t = time.perf_counter()
        torch.mm(a, b, out=c)
        best = min(best, time.perf_counter() - t)
        if i >= 5 and time.perf_counter() > end:
            break
    return 2.0 * n ** 3 / best / 1e9


def wide_mlp(a):
    x = torch.randn(WIDE_BATCH, 1024)
    y = torch.randint(0, 10, (WIDE_BATCH,))
    model = mlp([1024, 2048, 2048, 10])
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    parameters = sum(p.numel() for p in model.parameters())

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    for _ in range(WIDE_WARMUP):
        step()
    best = float("inf")
    for _ in range(a.repeats):
        t = time.perf_counter()
        for _ in range(WIDE_STEPS):
            loss = step()
        best = min(best, time.perf_counter() - t)
    samples = WIDE_BATCH * WIDE_STEPS / best
    return {"batch_size": WIDE_BATCH, "steps": WIDE_STEPS, "repeats": a.repeats, "parameters": parameters,
            "samples_per_s": samples, "gflops": 6.0 * parameters * samples / 1e9,
            "sgemm_gflops": sgemm_gflops(1024), "final_loss": loss.item()}


def infer_latency(a):
    model = mlp([784, 256, 128, 10]).eval()
    x = torch.rand(1, 784)
    best_median, p90 = float("inf"), float("nan")
    with torch.no_grad():
        for _ in range(INFER_CALLS):
            model(x)
        for _ in range(a.repeats):
            times = []
            for _ in range(INFER_CALLS):
                t = time.perf_counter_ns()
                model(x)
                times.append(time.perf_counter_ns() - t)
            times.sort()
            median = (times[INFER_CALLS // 2 - 1] + times[INFER_CALLS // 2]) / 2e3
            if median < best_median:
                best_median, p90 = median, times[int(INFER_CALLS * 0.9)] / 1e3
    return {"calls": INFER_CALLS, "repeats": a.repeats, "p50_us": best_median, "p90_us": p90}


def blas_library():
    """Which libblas.so.3 the process mapped: the reference BLAS makes every product ~25x slower."""
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                if "libblas" in line or "libopenblas" in line:
                    return os.path.realpath(line.split()[-1])
    except OSError:
        pass
    return "unknown"


def main():
    run = {"fashion-mlp": fashion_mlp, "tiny-sigmoid": tiny_sigmoid, "wide-mlp": wide_mlp,
           "infer-latency": infer_latency}[args.workload]
    result = {"workload": args.workload, "threads": args.threads}
    if blas_threads != args.threads:
        result["blas_threads"] = blas_threads
    result.update(run(args))
    result["kernels"] = "pytorch " + torch.__version__ + ", blas " + blas_library()
    result["openblas_coretype"] = os.environ.get("OPENBLAS_CORETYPE", "unset")
    result["peak_rss_mb"] = peak_rss_mb()
    if args.json:
        print(json.dumps(result, separators=(",", ":")))
    else:
        for k, v in result.items():
            print(f"  {k:22} {v}")


if __name__ == "__main__":
    main()
