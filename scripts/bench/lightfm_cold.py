#!/usr/bin/env python3
"""LightFM WARP and a genre-profile cosine baseline on a `tacit split --protocol cold-items`
split: the references of issue 21's item cold start.

Items are described by their genres and a year bucket (5-year buckets, "year:1990-1994"); the
withheld items have no id feature (LightFM's cold-start setting: item representation = sum of
feature embeddings, the same for every item, so warm and cold items are alike). Users have an
id feature only. Trained on the interactions of the training files (binary), WARP loss.

Evaluation as `tacit evaluate --candidates` (docs/evaluation.md): only the candidates (the
withheld items) are ranked, for every test user that has training data; a user's relevant items
are their test items among the candidates that are not in their training data; NDCG@10, HR@10,
Recall@20 averaged over those users.

  --train F (repeatable) --test F --candidates F --items items.csv
  --epochs 10,20,40  (with --valid-train/--valid/--valid-candidates: chosen on validation)

Prints one JSON object on the last line of stdout.
"""
import argparse
import csv
import json
import math
import time

import numpy as np
import scipy.sparse as sp
from lightfm import LightFM


def read_events(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            for r in csv.DictReader(f):
                rows.append((r["user_id"], r["item_id"]))
    return rows


def read_items(path):
    items = {}
    with open(path) as f:
        for r in csv.DictReader(f):
            features = ["genre:" + g for g in (r.get("genres") or "").split("|") if g]
            year = (r.get("year") or "").strip()
            if year.isdigit():
                start = int(year) // 5 * 5
                features.append(f"year:{start}-{start + 4}")
            items[r["item_id"]] = features
    return items


def read_ids(path):
    with open(path) as f:
        return [r["item_id"] for r in csv.DictReader(f)]


def ndcg_hr_recall(order, relevant, k=10, k_recall=20):
    dcg = sum(1 / math.log2(i + 2) for i, item in enumerate(order[:k]) if item in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    hits = sum(1 for item in order[:k] if item in relevant)
    recall = sum(1 for item in order[:k_recall] if item in relevant) / len(relevant)
    return dcg / ideal, 1.0 if hits else 0.0, recall


class Data:
    def __init__(self, train_paths, test_path, candidates_path, items):
        train = read_events(train_paths)
        self.users = sorted({u for u, _ in train})
        self.user_index = {u: k for k, u in enumerate(self.users)}
        self.candidates = read_ids(candidates_path)
        all_items = sorted(set(items) | {i for _, i in train} | set(self.candidates))
        self.item_index = {i: k for k, i in enumerate(all_items)}
        features = sorted({f for fs in items.values() for f in fs})
        feature_index = {f: k for k, f in enumerate(features)}
        rows, cols = [], []
        for i, k in self.item_index.items():
            for f in items.get(i, []):
                rows.append(k)
                cols.append(feature_index[f])
        self.item_features = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                           shape=(len(all_items), len(features)))
        self.genre_matrix = self.item_features.toarray()
        pairs = {(self.user_index[u], self.item_index[i]) for u, i in train}
        r, c = zip(*pairs)
        self.interactions = sp.coo_matrix((np.ones(len(r), dtype=np.float32), (r, c)),
                                          shape=(len(self.users), len(all_items)))
        self.history = {}
        for u, i in pairs:
            self.history.setdefault(u, set()).add(i)
        candidate_set = set(self.item_index[i] for i in self.candidates)
        self.relevant = {}
        for u, i in read_events([test_path]):
            if u not in self.user_index or i not in self.item_index:
                continue
            ui, ii = self.user_index[u], self.item_index[i]
            if ii in candidate_set and ii not in self.history.get(ui, set()):
                self.relevant.setdefault(ui, set()).add(ii)
        self.candidate_indices = np.array(sorted(candidate_set), dtype=np.int32)

    def evaluate(self, score):
        totals = np.zeros(3)
        for u, relevant in self.relevant.items():
            scores = score(u)
            order = self.candidate_indices[np.argsort(-scores, kind="stable")]
            seen = self.history.get(u, set())
            order = [i for i in order if i not in seen]
            totals += ndcg_hr_recall(order, relevant)
        n = max(1, len(self.relevant))
        return {"NDCG@10": totals[0] / n, "HR@10": totals[1] / n, "Recall@20": totals[2] / n, "users": len(self.relevant)}


def lightfm_scores(data, epochs, components, seed, threads):
    model = LightFM(loss="warp", no_components=components, learning_rate=0.05, random_state=seed)
    start = time.time()
    model.fit(data.interactions, item_features=data.item_features, epochs=epochs, num_threads=threads)
    seconds = time.time() - start
    features = data.item_features[data.candidate_indices]

    def score(u):
        return model.predict(np.full(len(data.candidate_indices), u, dtype=np.int32), np.arange(len(data.candidate_indices), dtype=np.int32),
                             item_features=features, num_threads=threads)
    return score, seconds


def genre_scores(data):
    profiles = {}
    candidates = data.genre_matrix[data.candidate_indices]
    norms = np.linalg.norm(candidates, axis=1) + 1e-9

    def score(u):
        if u not in profiles:
            items = sorted(data.history.get(u, set()))
            p = data.genre_matrix[items].sum(axis=0)
            profiles[u] = p / (np.linalg.norm(p) + 1e-9)
        return candidates @ profiles[u] / norms
    return score


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train", action="append", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--candidates", required=True)
    parser.add_argument("--valid-train", action="append")
    parser.add_argument("--valid")
    parser.add_argument("--valid-candidates")
    parser.add_argument("--items", required=True)
    parser.add_argument("--epochs", default="10,20,40")
    parser.add_argument("--components", type=int, default=64)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    items = read_items(args.items)
    choices = [int(e) for e in args.epochs.split(",")]
    chosen, valid_results = choices[0], {}
    if args.valid and len(choices) > 1:
        valid = Data(args.valid_train, args.valid, args.valid_candidates, items)
        for epochs in choices:
            score, _ = lightfm_scores(valid, epochs, args.components, args.seed, args.threads)
            valid_results[epochs] = valid.evaluate(score)["NDCG@10"]
        chosen = max(choices, key=lambda e: valid_results[e])
    data = Data(args.train, args.test, args.candidates, items)
    score, seconds = lightfm_scores(data, chosen, args.components, args.seed, args.threads)
    result = {"lightfm": data.evaluate(score), "lightfm_epochs": chosen, "lightfm_fit_seconds": seconds,
              "lightfm_valid": valid_results, "genre_cosine": data.evaluate(genre_scores(data))}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
