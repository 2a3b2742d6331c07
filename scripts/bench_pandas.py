#!/usr/bin/env python3
"""The reference data path: pandas.read_csv + factorize + scipy CSR, on the same event files.

usage: bench_pandas.py EVENTS.csv [EVENTS.csv ...]
Prints one JSON line per file: seconds to read, seconds to build the CSR matrix (kind-weighted,
duplicates summed, as Tacit's default weighting), the shape, nnz and the peak memory.
"""
import json, resource, sys, time

import numpy as np
import pandas as pd
import scipy.sparse as sp

KIND_WEIGHTS = {"view": 1.0, "click": 2.0, "add_to_cart": 4.0, "purchase": 8.0, "interaction": 1.0}

def run(path):
    start = time.perf_counter()
    frame = pd.read_csv(path, dtype={"user_id": str, "item_id": str})
    read = time.perf_counter() - start
    start = time.perf_counter()
    users, user_ids = pd.factorize(frame["user_id"])
    items, item_ids = pd.factorize(frame["item_id"])
    if "kind" in frame:
        weights = frame["kind"].map(KIND_WEIGHTS).fillna(1.0).to_numpy(np.float32)
    else:
        weights = np.ones(len(frame), np.float32)
    matrix = sp.csr_matrix((weights, (users, items)), shape=(len(user_ids), len(item_ids)))
    matrix.sum_duplicates()
    csc = matrix.tocsc()
    build = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"file": path, "events": len(frame), "read_seconds": read, "matrix_seconds": build,
                      "total_seconds": read + build, "users": matrix.shape[0], "items": matrix.shape[1],
                      "nnz": int(matrix.nnz), "csc_nnz": int(csc.nnz), "peak_mib": peak}))

if __name__ == "__main__":
    for path in sys.argv[1:]:
        run(path)
