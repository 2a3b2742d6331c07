#!/usr/bin/env python3
"""The Python side of scripts/bench-implicit.sh: implicit's ALS and BPR, and a numpy EASE, on the
same train/test files Tacit reads, with the same matrix, objective and evaluation.

usage: bench_implicit.py --model als|bpr|ease --train F [--train F ...] --test F
                         [--factors 64] [--iterations 10] [--regularization 0.01] [--alpha 1]
                         [--learning-rate 0.01] [--lambda 500] [--threads 2] [--seed 42]
                         [--label NAME] [--no-eval]

Prints one JSON line: the matrix (users, items, nnz, weight sum), fit_seconds (wall time of the
model's fit call only), the peak resident memory of this process after loading + fitting
(`peak_fit_mib`, getrusage ru_maxrss, what /usr/bin/time would report for a process that ends
after the fit, which is how `tacit train` is measured) and after evaluation (`peak_mib`), and
NDCG@10, HR@10, MRR@10, Recall@20, NDCG@20 and Coverage@10 with full ranking.

The matrix is Tacit's default WeightingPolicy (Sources/TacitCore/Weighting/WeightingPolicy.swift):
  * columns found by name like Tacit's ColumnMapping (user_id/user/..., item_id/item/...,
    kind/event/event_type/type/action, timestamp/time/ts/...); the value column is not used by
    the weighting;
  * kind names lowercased; weights view 1, click 2, add_to_cart 4, purchase 8, interaction 1,
    any other kind 1; a file without a kind column is all `interaction` (1); with Tacit's default
    --kind-scale relative every weight is divided by the weight of the most frequent kind (so a
    purchase-only log weighs each purchase 1);
  * exact duplicate events (same user, item, kind, timestamp) count once (a file without a
    timestamp column has every timestamp 0, as Tacit);
  * repeats of a (user, item) pair are summed; no time decay; no k-core; pairs with a sum <= 0
    are dropped (none with the default weights);
  * several --train files are concatenated, as `tacit ... --train A --train B`.

ALS: Tacit minimises sum_ui c_ui (p_ui - x_u.y_i)^2 + lambda (|X|^2 + |Y|^2) with
c_ui = 1 + alpha * w_ui on the stored pairs and 1 elsewhere (ALSRowSolver.swift). implicit
(cpu/_als.pyx, 0.7.x) takes the matrix value itself as the confidence C_ui of a stored pair (its
solvers add (C_ui - 1) y y^T to Y^T Y + lambda I and C_ui y to b) and multiplies the matrix by
its own `alpha` first. So implicit is given the matrix 1 + alpha * w on the stored pairs, with
implicit's alpha = 1 (no further scaling): the same objective. Both add the plain lambda to the
diagonal (no frequency scaling), run 3 conjugate-gradient steps per row and half-step, start
from uniform [0, 0.01) factors and do the same number of half-steps; implicit solves users then
items in each iteration, Tacit items then users. implicit's fit includes the transpose of the
matrix (Tacit builds its CSC on import, before the fit); `transpose_seconds` reports that part.

BPR: implicit's BayesianPersonalizedRanking, which (like Tacit's bpr) treats the matrix as
binary, samples a training entry uniformly and the negative as a random entry's item, and keeps
an item bias. `iterations` = Tacit's `epochs`.

EASE: the closed form of Steck 2019 in numpy, float32: X binary (Tacit's default input=binary),
G = X^T X + lambda I (scipy sparse products, in blocks of 1024 item columns), P = inv(G)
(scipy.linalg.inv, float32, in place), B = -P / diag(P) (column-wise), diag(B) = 0; score = X_u B.
BLAS/LAPACK get --threads threads, as Tacit's ease.

Evaluation (Tacit's TestSet/Evaluator, EVALUATION.md): test users without training data are
skipped; a user's relevant items are their test items not in their training row (test items
unknown to the training catalog stay relevant: they count in the ideal DCG but can never be
ranked); users left with none are dropped. Every catalog item is ranked except the user's
training items. NDCG@10 is binary-gain DCG over the ideal DCG of min(10, |relevant|) items;
HR@10 is 1 when any relevant item is in the top 10.
"""
import argparse
import json
import os
import resource
import sys
import time

# implicit recommends single-threaded BLAS (it parallelises over rows itself). The numpy EASE
# is one big BLAS/LAPACK job, so it gets --threads BLAS threads (as Tacit's ease does); both are
# set before numpy loads OpenBLAS, and held with threadpoolctl around each step.
_threads = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv[:-1] else "2"
_blas = _threads if "ease" in sys.argv else "1"
os.environ["OPENBLAS_NUM_THREADS"] = _blas
os.environ["MKL_NUM_THREADS"] = _blas

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.sparse as sp
from pandas.api.types import union_categoricals
from threadpoolctl import threadpool_limits

KIND_WEIGHTS = {"view": 1.0, "click": 2.0, "add_to_cart": 4.0, "purchase": 8.0, "interaction": 1.0}
DEFAULT_KIND_WEIGHT = 1.0
ALIASES = {
    "user": ["user_id", "user", "userid", "visitorid", "visitor_id", "customer_id", "uid"],
    "item": ["item_id", "item", "itemid", "product_id", "productid", "movie_id", "movieid", "iid"],
    "kind": ["kind", "event", "event_type", "type", "action"],
    "timestamp": ["timestamp", "time", "ts", "datetime", "event_time", "date"],
}


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resolve_columns(path):
    header = pd.read_csv(path, nrows=0).columns
    lowered = {name.lower(): name for name in header}
    found = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in lowered and lowered[alias] not in found.values():
                found[field] = lowered[alias]
                break
    if "user" not in found or "item" not in found:
        sys.exit(f"{path}: no user or item column in {list(header)}")
    return found


def read_events(paths, chunksize=2_000_000):
    """The events of `paths`, concatenated: categorical user/item/kind (ids kept as strings, as
    Tacit does: "01" and "1" are different users) and a timestamp. Read in chunks, each turned
    into categoricals at once, so the id strings of the whole file are never held together."""
    parts = []
    for path in paths:
        cols = resolve_columns(path)
        dtypes = {c: str for c in cols.values()}
        reader = pd.read_csv(path, usecols=list(cols.values()), dtype=dtypes, keep_default_na=False,
                             chunksize=chunksize)
        for chunk in reader:
            chunk = chunk.rename(columns={v: k for k, v in cols.items()})
            part = {"user": pd.Categorical(chunk["user"].to_numpy(object)),
                    "item": pd.Categorical(chunk["item"].to_numpy(object))}
            if "kind" in chunk:
                kinds = chunk["kind"].str.lower().to_numpy(object)
                kinds[kinds == ""] = "interaction"
                part["kind"] = pd.Categorical(kinds)
            else:
                part["kind"] = pd.Categorical(np.full(len(chunk), "interaction", object))
            if "timestamp" in chunk:
                numeric = pd.to_numeric(chunk["timestamp"], errors="coerce")
                # integer timestamps compare as numbers; anything else as written
                part["timestamp"] = (numeric.astype("int64").to_numpy() if numeric.notna().all()
                                     else chunk["timestamp"].to_numpy(object))
            else:
                part["timestamp"] = np.zeros(len(chunk), np.int64)
            parts.append(part)
    out = {}
    for column in ("user", "item", "kind"):
        out[column] = parts[0][column] if len(parts) == 1 else union_categoricals([p[column] for p in parts])
    stamps = [p["timestamp"] for p in parts]
    out["timestamp"] = stamps[0] if len(stamps) == 1 else np.concatenate(
        stamps if all(s.dtype == np.int64 for s in stamps) else [s.astype(object) for s in stamps])
    return pd.DataFrame(out)


def weighted_matrix(events, kind_scale="relative", counts=False):
    """Tacit's default confidence matrix: (users x items CSR of summed kind weights, user ids, item ids).

    kind_scale "relative" (Tacit's default) divides every weight by the weight of the most frequent
    kind among those weighing more than 0 (ties: the alphabetically first), counted over all events
    before duplicates are dropped; "absolute" keeps them. counts=True weighs every event 1 (the
    plain count matrix a new user would give implicit)."""
    kind_names = np.asarray(events["kind"].cat.categories, dtype=object)
    weight_of_code = np.array([KIND_WEIGHTS.get(k.lower(), DEFAULT_KIND_WEIGHT) for k in kind_names], np.float64)
    if counts:
        weight_of_code[:] = 1.0
    elif kind_scale == "relative":
        per_kind = np.bincount(events["kind"].cat.codes.to_numpy(np.int64), minlength=len(kind_names))
        present = [(-per_kind[c], kind_names[c].lower(), c) for c in range(len(kind_names)) if per_kind[c] > 0 and weight_of_code[c] > 0]
        if present:
            weight_of_code = weight_of_code / weight_of_code[min(present)[2]]
    users_codes, user_ids = pd.factorize(events["user"], sort=False)
    item_codes, item_ids = pd.factorize(events["item"], sort=False)
    frame = pd.DataFrame({
        "u": users_codes.astype(np.int64), "i": item_codes.astype(np.int64),
        "k": events["kind"].cat.codes.to_numpy(np.int64), "t": events["timestamp"].to_numpy(),
    })
    frame = frame.drop_duplicates(["u", "i", "k", "t"])
    frame["w"] = weight_of_code[frame["k"].to_numpy()]
    pairs = frame.groupby(["u", "i"], sort=True)["w"].sum().reset_index()
    pairs = pairs[pairs["w"] > 0]
    # Keep users/items that have a pair, in order of first appearance (as Tacit compacts its ids).
    present_u = np.zeros(len(user_ids), bool); present_u[pairs["u"].to_numpy()] = True
    present_i = np.zeros(len(item_ids), bool); present_i[pairs["i"].to_numpy()] = True
    new_u = np.cumsum(present_u) - 1
    new_i = np.cumsum(present_i) - 1
    rows = new_u[pairs["u"].to_numpy()].astype(np.int32)
    cols = new_i[pairs["i"].to_numpy()].astype(np.int32)
    matrix = sp.csr_matrix((pairs["w"].to_numpy(np.float32), (rows, cols)),
                           shape=(int(present_u.sum()), int(present_i.sum())), dtype=np.float32)
    matrix.sort_indices()
    return matrix, pd.Index(np.asarray(user_ids)[present_u]), pd.Index(np.asarray(item_ids)[present_i])


def test_set(path, matrix, user_index, item_index):
    """(users, relevant known items per user, |relevant| incl. unknown items), users ascending."""
    test = read_events([path])
    u = user_index.get_indexer(np.asarray(test["user"].astype(str)))
    i = item_index.get_indexer(np.asarray(test["item"].astype(str)))
    raw_item = np.asarray(test["item"].astype(str))
    per_user = {}
    for user, item, raw in zip(u, i, raw_item):
        if user < 0:
            continue
        known, unknown = per_user.setdefault(int(user), (set(), set()))
        if item >= 0:
            row = matrix.indices[matrix.indptr[user]:matrix.indptr[user + 1]]
            if not np.any(row == item):
                known.add(int(item))
        else:
            unknown.add(raw)
    users, relevant, counts = [], [], []
    for user in sorted(per_user):
        known, unknown = per_user[user]
        if len(known) + len(unknown) == 0:
            continue
        users.append(user)
        relevant.append(known)
        counts.append(len(known) + len(unknown))
    return np.array(users, np.int64), relevant, np.array(counts)


def score_metrics(top, relevant, counts, item_count):
    """Tacit's definitions (docs/evaluation.md) from each user's top 20: NDCG@10 and @20 (binary gain
    over the ideal DCG of min(K, |R|) items), HR@10, MRR@10, Recall@20 = hits / min(20, |R|), and
    Coverage@10 = distinct items in any top 10 / training items."""
    discounts = 1.0 / np.log2(np.arange(2, 22))
    sums = {"NDCG@10": 0.0, "NDCG@20": 0.0, "HR@10": 0.0, "MRR@10": 0.0, "Recall@20": 0.0}
    covered = set()
    for row, rel, count in zip(top, relevant, counts):
        gains = np.fromiter((1.0 if int(item) in rel else 0.0 for item in row[:20]), float, count=min(20, len(row)))
        covered.update(int(item) for item in row[:10])
        for k in (10, 20):
            dcg = float(np.dot(gains[:k], discounts[:len(gains[:k])]))
            sums[f"NDCG@{k}"] += dcg / float(discounts[:min(k, count)].sum())
        first = np.flatnonzero(gains[:10])
        sums["HR@10"] += 1.0 if first.size else 0.0
        sums["MRR@10"] += 1.0 / (first[0] + 1) if first.size else 0.0
        sums["Recall@20"] += gains[:20].sum() / min(20, count)
    n = max(1, len(counts))
    metrics = {k: v / n for k, v in sums.items()}
    metrics["Coverage@10"] = len(covered) / max(1, item_count)
    return metrics


def top_k_dense(scores, k):
    """Top-k column indices of each row of `scores` (excluded entries set to -inf), best first."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


class NumpyEASE:
    def __init__(self, lam, block=1024):
        self.lam = lam
        self.block = block
        self.B = None

    def fit(self, X):
        Xb = X.copy()
        Xb.data[:] = 1.0
        # G = XᵀX, dense float32, built in blocks of item columns, so the whole sparse product is
        # never held next to the dense G.
        n = Xb.shape[1]
        G = np.empty((n, n), np.float32)
        XbT = Xb.T.tocsr()
        Xc = Xb.tocsc()
        for start in range(0, n, self.block):
            G[:, start:start + self.block] = (XbT @ Xc[:, start:start + self.block]).toarray()
        del XbT, Xc
        G[np.diag_indices_from(G)] += self.lam
        # P = G⁻¹ in float32 (LAPACK getrf + getri), in place: G is symmetric, so its transpose is
        # the Fortran-ordered G that scipy can overwrite. np.linalg.inv would compute in float64
        # (on the 1M shop: 8.8 GiB peak and 5x the time).
        P = scipy.linalg.inv(G.T, overwrite_a=True, check_finite=False)
        del G
        P /= -np.diag(P)[None, :]
        P[np.diag_indices_from(P)] = 0.0
        self.B = P

    def recommend_top(self, X, users, k, batch=1024):
        Xb = X.copy()
        Xb.data[:] = 1.0
        out = []
        for start in range(0, len(users), batch):
            rows = Xb[users[start:start + batch]]
            scores = np.asarray(rows @ self.B)
            scores[rows.nonzero()] = -np.inf
            out.append(top_k_dense(scores, k))
        return np.vstack(out) if out else np.zeros((0, k), np.int64)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=["als", "bpr", "ease"], required=True)
    ap.add_argument("--train", action="append", required=True)
    ap.add_argument("--test")
    ap.add_argument("--factors", type=int, default=64)
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--regularization", type=float, default=0.01)
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--learning-rate", type=float, default=0.01)
    ap.add_argument("--lambda", dest="lam", type=float, default=500.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--label", default="")
    ap.add_argument("--no-eval", action="store_true")
    ap.add_argument("--kind-scale", choices=["relative", "absolute"], default="relative",
                    help="Tacit's --kind-scale (default relative)")
    ap.add_argument("--counts", action="store_true",
                    help="als: give implicit the plain event-count matrix with its alpha (as a new user would) "
                         "instead of Tacit's 1 + alpha * w")
    args = ap.parse_args()

    start = time.perf_counter()
    events = read_events(args.train)
    matrix, user_index, item_index = weighted_matrix(events, args.kind_scale, args.counts)
    del events
    load_seconds = time.perf_counter() - start
    result = {"label": args.label, "tool": "numpy" if args.model == "ease" else "implicit", "model": args.model,
              "users": matrix.shape[0], "items": matrix.shape[1], "nnz": int(matrix.nnz),
              "weight_sum": float(matrix.data.astype(np.float64).sum()), "load_seconds": load_seconds}
    print(f"[{args.label} {args.model}] matrix {matrix.shape[0]} users x {matrix.shape[1]} items, "
          f"nnz {matrix.nnz}, weight sum {result['weight_sum']:.0f}", file=sys.stderr)

    if args.model == "als":
        from implicit.cpu.als import AlternatingLeastSquares
        import implicit
        result["implicit_version"] = implicit.__version__
        confidence = matrix.copy()
        if not args.counts:
            confidence.data = (1.0 + args.alpha * confidence.data).astype(np.float32)  # c = 1 + alpha * w
        model = AlternatingLeastSquares(factors=args.factors, regularization=args.regularization,
                                        alpha=args.alpha if args.counts else 1.0,
                                        iterations=args.iterations, calculate_training_loss=False,
                                        use_cg=True, num_threads=args.threads, random_state=args.seed)
        result["parameters"] = {"factors": args.factors, "iterations": args.iterations,
                                "regularization": args.regularization, "alpha": args.alpha, "cg_steps": model.cg_steps}
        with threadpool_limits(1):
            start, cpu = time.perf_counter(), cpu_seconds()
            model.fit(confidence, show_progress=False)
            result["fit_seconds"] = time.perf_counter() - start
            result["fit_cpu_seconds"] = cpu_seconds() - cpu
        fit_input = confidence
    elif args.model == "bpr":
        from implicit.cpu.bpr import BayesianPersonalizedRanking
        import implicit
        result["implicit_version"] = implicit.__version__
        model = BayesianPersonalizedRanking(factors=args.factors, learning_rate=args.learning_rate,
                                            regularization=args.regularization, iterations=args.iterations,
                                            num_threads=args.threads, verify_negative_samples=True,
                                            random_state=args.seed)
        result["parameters"] = {"factors": args.factors, "epochs": args.iterations,
                                "learning_rate": args.learning_rate, "regularization": args.regularization}
        with threadpool_limits(1):
            start, cpu = time.perf_counter(), cpu_seconds()
            model.fit(matrix, show_progress=False)
            result["fit_seconds"] = time.perf_counter() - start
            result["fit_cpu_seconds"] = cpu_seconds() - cpu
        fit_input = matrix
    else:
        model = NumpyEASE(args.lam)
        result["parameters"] = {"lambda": args.lam, "input": "binary", "dtype": "float32", "inverse": "scipy.linalg.inv (getrf+getri)"}
        with threadpool_limits(args.threads):
            start, cpu = time.perf_counter(), cpu_seconds()
            model.fit(matrix)
            result["fit_seconds"] = time.perf_counter() - start
            result["fit_cpu_seconds"] = cpu_seconds() - cpu
        fit_input = matrix
    result["peak_fit_mib"] = peak_mib()

    if args.model == "als":
        # implicit's fit transposes the matrix; Tacit's CSC is built on import, before its fit.
        start = time.perf_counter()
        fit_input.T.tocsr()
        result["transpose_seconds"] = time.perf_counter() - start

    if args.test and not args.no_eval:
        start = time.perf_counter()
        users, relevant, counts = test_set(args.test, matrix, user_index, item_index)
        with threadpool_limits(args.threads):
            if args.model == "ease":
                top = model.recommend_top(matrix, users, 20)
            else:
                tops = []
                for s in range(0, len(users), 4096):
                    batch = users[s:s + 4096]
                    ids, _ = model.recommend(batch, fit_input[batch], N=20, filter_already_liked_items=True)
                    tops.append(ids)
                top = np.vstack(tops) if tops else np.zeros((0, 20), np.int64)
        result["test_users"] = int(len(users))
        result["metrics"] = score_metrics(top, relevant, counts, matrix.shape[1])
        result["eval_seconds"] = time.perf_counter() - start
    result["peak_mib"] = peak_mib()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
