#!/usr/bin/env python3
"""TensorFlow Recommenders two-tower on MovieLens 100K LOO, the reference for Tacit's `twotower`.

Towers (issue 5, point 6):
  query     = [user-id embedding (d) ; mean of the embeddings of the user's last 50 items
               strictly before the example's event (weights 1) ; with --recent N > 0, the mean
               of the last N of them from a second item table (Tacit's `recent_length`)]
               -> Dense(d) -> L2-normalise
  candidate = [item-id embedding (d) ; mean of the item's genre embeddings (d)] -> Dense(d) -> L2-normalise
  score     = dot / temperature
Loss: tfrs.tasks.Retrieval, in-batch softmax with log-Q correction (candidate_sampling_probability
= the item's share of the training examples) and remove_accidental_hits=True. Adam. One training
example per training interaction.

Evaluation as EVALUATION.md (LOO): every item of the training data is ranked for every user, the
user's training items are dropped, NDCG@10 / HR@10 of the held-out item averaged over all users.
The query history for the held-out event is the user's last 50 training items. Only training is
timed.

  --split test   train on train.csv + valid.csv, score test.csv (the reported numbers)
  --split valid  train on train.csv, score valid.csv (for tuning)

Prints one JSON object on the last line of stdout.
"""
import argparse
import csv
import json
import math
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tensorflow_recommenders as tfrs  # noqa: E402

HISTORY = 50


def read_events(path):
    with open(path, newline="") as f:
        return [(row["user_id"], row["item_id"], int(row["timestamp"])) for row in csv.DictReader(f)]


def read_genres(path):
    with open(path, newline="") as f:
        return {row["item_id"]: [g for g in row.get("genres", "").split("|") if g] for row in csv.DictReader(f)}


def histories_before(events, user_index, item_index):
    """For each event (in file order), the user's last HISTORY items strictly earlier in time."""
    by_user = {}
    for position, (u, i, t) in enumerate(events):
        by_user.setdefault(u, []).append((t, position, i))
    history = np.zeros((len(events), HISTORY), dtype=np.int32)  # 0 = padding, items are 1-based
    for rows in by_user.values():
        rows.sort()
        group_start = 0  # the first row sharing the current row's timestamp
        for k, (t, position, _) in enumerate(rows):
            if k > 0 and t != rows[k - 1][0]:
                group_start = k
            earlier = [item_index[i] + 1 for (_, _, i) in rows[max(0, group_start - HISTORY):group_start]]
            if earlier:
                history[position, HISTORY - len(earlier):] = earlier
    return history


class MaskedMean(tf.keras.layers.Layer):
    """Mean of the embeddings of the non-zero ids of each row (zero vector for an empty row)."""

    def call(self, embeddings, ids):
        mask = tf.cast(tf.not_equal(ids, 0), embeddings.dtype)[..., None]
        return tf.reduce_sum(embeddings * mask, axis=1) / tf.maximum(tf.reduce_sum(mask, axis=1), 1.0)


class TwoTower(tfrs.Model):
    def __init__(self, users, items, genre_table, d, temperature, recent=0):
        super().__init__()
        self.recent = recent
        if recent:
            self.recent_embedding = tf.keras.layers.Embedding(items + 1, d)  # 0 = padding
        self.user_embedding = tf.keras.layers.Embedding(users, d)
        self.history_embedding = tf.keras.layers.Embedding(items + 1, d)  # 0 = padding
        self.item_embedding = tf.keras.layers.Embedding(items, d)
        self.genre_embedding = tf.keras.layers.Embedding(int(genre_table.max()) + 1, d)  # 0 = padding
        self.genre_table = tf.constant(genre_table)
        self.pool = MaskedMean()
        self.query_dense = tf.keras.layers.Dense(d)
        self.candidate_dense = tf.keras.layers.Dense(d)
        self.task = tfrs.tasks.Retrieval(temperature=temperature, remove_accidental_hits=True)

    def query(self, user, history):
        parts = [self.user_embedding(user), self.pool(self.history_embedding(history), history)]
        if self.recent:
            latest = history[:, -self.recent:]  # histories are right-aligned: the newest items last
            parts.append(self.pool(self.recent_embedding(latest), latest))
        x = self.query_dense(tf.concat(parts, axis=1))
        return tf.math.l2_normalize(x, axis=1)

    def candidate(self, item):
        genres = tf.gather(self.genre_table, item)
        pooled = self.pool(self.genre_embedding(genres), genres)
        x = self.candidate_dense(tf.concat([self.item_embedding(item), pooled], axis=1))
        return tf.math.l2_normalize(x, axis=1)

    def compute_loss(self, features, training=False):
        q = self.query(features["user"], features["history"])
        c = self.candidate(features["item"])
        return self.task(q, c, compute_metrics=False, candidate_ids=features["item"],
                         candidate_sampling_probability=features["probability"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/data/ml-100k")
    parser.add_argument("--split", choices=["test", "valid"], default="test")
    parser.add_argument("--dimension", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=9)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--temperature", type=float, default=0.1)
    parser.add_argument("--recent", type=int, default=0, help="also pool the last N history items into a part of their own (0 = the plain reference)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=0, help="TensorFlow intra/inter-op threads (0 = TensorFlow's default)")
    args = parser.parse_args()

    tf.keras.utils.set_random_seed(args.seed)
    if args.threads:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    loo = os.path.join(args.data, "splits", "loo")
    train = read_events(os.path.join(loo, "train.csv"))
    if args.split == "test":
        train += read_events(os.path.join(loo, "valid.csv"))
        held_out = read_events(os.path.join(loo, "test.csv"))
    else:
        held_out = read_events(os.path.join(loo, "valid.csv"))
    genres_of = read_genres(os.path.join(args.data, "items.csv"))

    users = sorted({u for u, _, _ in train}, key=int)
    items = sorted({i for _, i, _ in train}, key=int)  # the ranked item space: the training items
    user_index = {u: k for k, u in enumerate(users)}
    item_index = {i: k for k, i in enumerate(items)}
    genre_names = sorted({g for i in items for g in genres_of.get(i, [])})
    genre_index = {g: k + 1 for k, g in enumerate(genre_names)}
    width = max(1, max(len(genres_of.get(i, [])) for i in items))
    genre_table = np.zeros((len(items), width), dtype=np.int32)
    for i in items:
        codes = [genre_index[g] for g in genres_of.get(i, [])]
        genre_table[item_index[i], :len(codes)] = codes

    user_ids = np.array([user_index[u] for u, _, _ in train], dtype=np.int32)
    item_ids = np.array([item_index[i] for _, i, _ in train], dtype=np.int32)
    frequency = np.bincount(item_ids, minlength=len(items)).astype(np.float32) / len(item_ids)
    features = {
        "user": user_ids,
        "history": histories_before(train, user_index, item_index),
        "item": item_ids,
        "probability": frequency[item_ids].astype(np.float32),
    }
    dataset = (tf.data.Dataset.from_tensor_slices(features)
               .shuffle(len(item_ids), seed=args.seed, reshuffle_each_iteration=True)
               .batch(args.batch_size).prefetch(tf.data.AUTOTUNE))

    model = TwoTower(len(users), len(items), genre_table, args.dimension, args.temperature, recent=min(args.recent, HISTORY))
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=args.learning_rate))
    start = time.perf_counter()
    history = model.fit(dataset, epochs=args.epochs, verbose=0)
    train_seconds = time.perf_counter() - start

    # Full ranking: every training item, the user's training items excluded.
    seen = {}
    for u, i, t in train:
        seen.setdefault(u, []).append((t, i))
    query_users, query_history = [], np.zeros((len(users), HISTORY), dtype=np.int32)
    for u in users:
        ordered = [item_index[i] + 1 for _, i in sorted(seen[u], key=lambda e: e[0])][-HISTORY:]
        query_history[user_index[u], HISTORY - len(ordered):] = ordered
        query_users.append(user_index[u])
    candidates = model.candidate(tf.range(len(items))).numpy()
    queries = model.query(tf.constant(query_users, dtype=tf.int32), tf.constant(query_history)).numpy()
    scores = queries @ candidates.T
    for u in users:
        scores[user_index[u], [item_index[i] for _, i in seen[u]]] = -np.inf
    target = {u: i for u, i, _ in held_out}
    ndcg = hits = 0.0
    for u in users:
        item = target.get(u)
        if item is None or item not in item_index:
            continue
        row = scores[user_index[u]]
        value = row[item_index[item]]
        if not np.isfinite(value):
            continue
        # 1-based rank; ties broken by lower item index, as Tacit does.
        rank = 1 + int(np.sum(row > value)) + int(np.sum(row[:item_index[item]] == value))
        if rank <= 10:
            hits += 1
            ndcg += 1 / math.log2(rank + 1)
    evaluated = len(users)
    result = {
        "system": "tfrs", "split": args.split, "dimension": args.dimension, "epochs": args.epochs,
        "batch_size": args.batch_size, "learning_rate": args.learning_rate, "temperature": args.temperature,
        "recent": args.recent, "train_seconds": round(train_seconds, 3), "final_loss": float(history.history["loss"][-1]),
        "users": evaluated, "items": len(items), "examples": len(item_ids),
        "NDCG@10": ndcg / evaluated, "HR@10": hits / evaluated,
        "tensorflow": tf.__version__, "tensorflow_recommenders": tfrs.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
