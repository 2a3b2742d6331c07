#!/usr/bin/env python3
"""Recompute ranking metrics from `tacit recommend` output, independently of Tacit's evaluator.

usage: check_metrics.py RECS.csv TEST.csv TRAIN.csv [TRAIN.csv ...] [--k 10]

Follows EVALUATION.md: a test user needs training data; the relevant set is their test items not
in their training data (items unseen in training still count in the denominators). Prints
HR@K, NDCG@K, MRR@K, Recall@K as JSON.
"""
import csv, json, math, sys
from collections import defaultdict

def main(argv):
    k = 10
    if "--k" in argv:
        i = argv.index("--k"); k = int(argv[i + 1]); del argv[i:i + 2]
    recs_path, test_path, train_paths = argv[0], argv[1], argv[2:]
    train = defaultdict(set)
    for path in train_paths:
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                train[row["user_id"]].add(row["item_id"])
    relevant = defaultdict(set)
    with open(test_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            u = row["user_id"]
            if u in train and row["item_id"] not in train[u]:
                relevant[u].add(row["item_id"])
    ranked = defaultdict(list)
    with open(recs_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ranked[row["user_id"]].append((int(row["rank"]), row["item_id"]))
    sums = defaultdict(float)
    users = 0
    for u, rel in relevant.items():
        if not rel:
            continue
        users += 1
        items = [item for _, item in sorted(ranked.get(u, []))][:k]
        hits = [1 if item in rel else 0 for item in items]
        dcg = sum(h / math.log2(r + 2) for r, h in enumerate(hits))
        idcg = sum(1 / math.log2(r + 2) for r in range(min(k, len(rel))))
        sums[f"HR@{k}"] += 1 if any(hits) else 0
        sums[f"NDCG@{k}"] += dcg / idcg
        sums[f"MRR@{k}"] += next((1 / (r + 1) for r, h in enumerate(hits) if h), 0)
        sums[f"Recall@{k}"] += sum(hits) / min(k, len(rel))
    print(json.dumps({"users": users, **{m: v / users for m, v in sorted(sums.items())}}, indent=1))

if __name__ == "__main__":
    main(sys.argv[1:])
