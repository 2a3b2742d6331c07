"""Reference approximate maximum-inner-product search on the vectors `tacit bench-ann --export` wrote.

One thread, one query at a time: exact brute force (numpy/BLAS), ScaNN (tree + anisotropic
hashing + reorder, the configuration its README recommends for dot products), faiss IVF-Flat,
IVF-SQ8 and HNSW, hnswlib. Prints one row per method and setting: recall@k against the exact
lists, milliseconds per query, the speed-up over the exact scan, build seconds.
"""
import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--methods", default="exact,scann,faiss-ivf,faiss-ivf-sq8,faiss-hnsw,hnswlib")
    args = parser.parse_args()
    meta = json.load(open(os.path.join(args.directory, "meta.json")))
    d = meta["dimension"]
    items = np.fromfile(os.path.join(args.directory, "items.f32"), dtype="<f4").reshape(-1, d)
    queries = np.fromfile(os.path.join(args.directory, "queries.f32"), dtype="<f4").reshape(-1, d)
    k, n = args.count, items.shape[0]
    leaves = int(round(n ** 0.5))
    methods = args.methods.split(",")
    rows = []

    def timed(search):
        start = time.perf_counter()
        found = [search(q) for q in queries]
        return found, (time.perf_counter() - start) * 1000 / len(queries)

    def exact_search(q):
        scores = items @ q
        top = np.argpartition(-scores, k)[:k]
        return top[np.argsort(-scores[top], kind="stable")]

    truth, exact_ms = timed(exact_search)
    truth_sets = [set(t.tolist()) for t in truth]

    def recall(found):
        return sum(len(truth_sets[i] & set(np.asarray(f).tolist()[:k])) for i, f in enumerate(found)) / (k * len(found))

    if "exact" in methods:
        rows.append(("numpy exact (BLAS)", 1.0, exact_ms, 0.0))

    if "scann" in methods:
        import scann
        # The README's dot-product configuration, with a plain and a spherical k-means tree.
        for spherical in (False, True):
            start = time.perf_counter()
            searcher = (scann.scann_ops_pybind.builder(items, k, "dot_product")
                        .tree(num_leaves=leaves, num_leaves_to_search=max(1, leaves // 10), training_sample_size=min(n, 250_000),
                              spherical=spherical)
                        .score_ah(2, anisotropic_quantization_threshold=0.2).reorder(100).build())
            build = time.perf_counter() - start
            for probe in (8, 16, 32, 64, 128):
                found, ms = timed(lambda q: searcher.search(q, final_num_neighbors=k, leaves_to_search=probe)[0])
                tree = "spherical tree" if spherical else "tree"
                rows.append((f"ScaNN {tree} {leaves} leaves, {probe} searched, AH, reorder 100", recall(found), ms, build))

    if any(m.startswith("faiss") for m in methods):
        import faiss
        faiss.omp_set_num_threads(1)
        if "faiss-ivf" in methods or "faiss-ivf-sq8" in methods:
            for name, make in (("faiss-ivf", lambda q: faiss.IndexIVFFlat(q, d, leaves, faiss.METRIC_INNER_PRODUCT)),
                               ("faiss-ivf-sq8", lambda q: faiss.IndexIVFScalarQuantizer(q, d, leaves, faiss.ScalarQuantizer.QT_8bit,
                                                                                         faiss.METRIC_INNER_PRODUCT))):
                if name not in methods:
                    continue
                quantizer = faiss.IndexFlatIP(d)
                index = make(quantizer)
                start = time.perf_counter()
                index.train(items)
                index.add(items)
                build = time.perf_counter() - start
                for probe in (8, 16, 32, 64, 128):
                    index.nprobe = probe
                    found, ms = timed(lambda q: index.search(q.reshape(1, -1), k)[1][0])
                    rows.append((f"faiss {faiss.__version__} {name.split('-', 1)[1].upper()} nlist {leaves}, nprobe {probe}", recall(found), ms, build))
        if "faiss-hnsw" in methods:
            index = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
            start = time.perf_counter()
            index.add(items)
            build = time.perf_counter() - start
            for ef in (32, 64, 128, 256):
                index.hnsw.efSearch = ef
                found, ms = timed(lambda q: index.search(q.reshape(1, -1), k)[1][0])
                rows.append((f"faiss HNSW M 32, efSearch {ef}", recall(found), ms, build))

    if "hnswlib" in methods:
        import hnswlib
        index = hnswlib.Index(space="ip", dim=d)
        start = time.perf_counter()
        index.init_index(max_elements=n, ef_construction=200, M=32)
        index.set_num_threads(1)
        index.add_items(items)
        build = time.perf_counter() - start
        for ef in (32, 64, 128, 256):
            index.set_ef(ef)
            found, ms = timed(lambda q: index.knn_query(q, k=k)[0][0])
            rows.append((f"hnswlib M 32, ef {ef}", recall(found), ms, build))

    width = max(len(r[0]) for r in rows)
    print(f"{'method':<{width}}  recall@{k}  ms/query  speed-up  build")
    for name, r, ms, build in rows:
        print(f"{name:<{width}}  {r:9.4f}  {ms:8.4f}  {exact_ms / ms:7.1f}×  {build:5.2f} s")


if __name__ == "__main__":
    main()
