#!/usr/bin/env python3
"""NDCG@K, HR@K and MRR@K recomputed from `tacit recommend` output, independently of Tacit's evaluator.

  python3 scripts/bench/metrics_from_recommendations.py recs.csv test.csv [--train train.csv ...] [--k 10]

recs.csv is `tacit recommend --k K` output (user_id,rank,item_id,score); test.csv holds each user's
held-out event(s) (user_id,item_id,...). A user's relevant items are their test items that are not
in the --train files (EVALUATION.md); users with none are skipped, users without a list score 0.
Averages over the test users that have training data when --train is given (as `tacit evaluate`),
else over every test user. Coverage@K: the share of the training items (with --train) that appear in
some evaluated user's top K. Prints one JSON object.
"""
import argparse
import csv
import json
import math
from collections import defaultdict


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recommendations")
    parser.add_argument("test")
    parser.add_argument("--train", action="append", default=[])
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()

    lists = defaultdict(list)
    with open(args.recommendations, newline="") as f:
        for row in csv.DictReader(f):
            lists[row["user_id"]].append((int(row["rank"]), row["item_id"]))
    seen = defaultdict(set)
    for path in args.train:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                seen[row["user_id"]].add(row["item_id"])
    relevant = defaultdict(set)
    with open(args.test, newline="") as f:
        for row in csv.DictReader(f):
            if row["item_id"] not in seen[row["user_id"]]:
                relevant[row["user_id"]].add(row["item_id"])

    ndcg = hr = mrr = 0.0
    users = 0
    shown = set()
    for user, items in relevant.items():
        if args.train and user not in seen:
            continue
        users += 1
        ranked = [item for _, item in sorted(lists.get(user, []))][: args.k]
        shown.update(ranked)
        gains = [1 / math.log2(r + 2) for r, item in enumerate(ranked) if item in items]
        ideal = sum(1 / math.log2(r + 2) for r in range(min(len(items), args.k)))
        ndcg += sum(gains) / ideal
        hr += 1 if gains else 0
        mrr += next((1 / (r + 1) for r, item in enumerate(ranked) if item in items), 0)
    k = args.k
    result = {"users": users, f"NDCG@{k}": ndcg / max(1, users), f"HR@{k}": hr / max(1, users), f"MRR@{k}": mrr / max(1, users)}
    catalogue = set().union(*seen.values()) if seen else set()
    if catalogue:
        result[f"Coverage@{k}"] = len(shown & catalogue) / len(catalogue)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
