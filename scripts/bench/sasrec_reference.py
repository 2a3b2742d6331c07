#!/usr/bin/env python3
"""A reference SASRec (Kang & McAuley, "Self-Attentive Sequential Recommendation", ICDM 2018) in
TensorFlow/Keras on CPU, the reference for Tacit's `sasrec` (issue 6, point 5).

Model (the original TF1 code, kang205/SASRec, with the full-softmax loss of the issue):
  input     the items of a user's last max_length events, left-padded with 0 (items 1..n, 0 = padding)
  embedding E[item] * sqrt(d) + P[position] (P learned, positions 0..max_length-1, the newest item
            always at the last position), dropout, padding positions set to zero. E and P use
            Glorot-uniform initialisation; E's row 0 is never used as a target or a candidate.
  blocks x  "original" LayerNorm placement (default, as the paper's code):
              q = LN(x);  a = MHA(queries=q, keys=values=x);  x = q + a
              h = LN(x);  x = h + Dropout(W2 Dropout(ReLU(W1 h + b1)) + b2)
              x = x * mask
            MHA: per head, Q = q Wq + bq, K = x Wk + bk, V = x Wv + bv (Dense d -> d, heads split
            the d columns), softmax(Q K^T / sqrt(d / heads)) with a causal mask and padded keys
            masked, dropout on the attention weights, heads concatenated; no output projection
            (as in the original code). Note the residuals add the LayerNorm'd input q / h, as the
            original code does.
            --norm pre (the common pre-LN transformer) instead:
              x = x + Dropout(MHA(LN(x), LN(x)));  x = x + FFN(LN(x));  x = x * mask
            (the same MHA and FFN with its two dropouts).
  final LN  hidden = LN(x)
  logits    hidden . E[1..n]^T: the item embedding is shared, the whole catalogue is scored.
--match-tacit adds the three things Tacit's `sasrec` does beyond the paper's code (all off by
default; each also on its own): --output-projection (MHA output through a Dense d -> d W_O, then
dropout, before the residual), --kinds (a learned vector per event kind, zero-initialised, added
to the input embedding; one kind, `interaction`, for files without a kind column) and
--clip-norm 5 (gradients clipped to global norm 5).
LayerNorm epsilon 1e-8 (as the original). Loss: full softmax cross-entropy of the next item at
every non-padding position, averaged over those positions (only they are scored, with the
logits computed for them alone). Training examples: per user, the last max_length + 1 training
events; inputs = seq[:-1], targets = seq[1:], left-padded. Users with fewer than two training
events give no example. Adam (beta1 0.9, beta2 0.98 as in the paper, epsilon 1e-8), one pass
over the users per epoch in batches, the order shuffled per epoch with a seeded generator.
A compiled train step (tf.function, traced before the clock starts; XLA measured slower here). A batch is cut to the columns of
its longest sequence: the dropped columns are padding in every row, so the model computes the
same thing as on max_length columns (the positions keep their indices), with less work.

Data. --data DIR (MovieLens 100K): DIR/splits/loo/{train,valid,test}.csv, read as EVALUATION.md:
  --split test   train on train.csv + valid.csv, score test.csv (the reported numbers)
  --split valid  train on train.csv, score valid.csv (for tuning)
--events FILE (e.g. `tacit generate`'s events.csv: user_id,item_id,kind,timestamp,...) splits the
log as `tacit evaluate --data FILE --protocol loo` does (LeaveLastOut): per user, events ordered
by (timestamp, position in file); a user with >= 2 events gives the last one to test, a user with
>= 3 also the one before it to validation; --split test trains on the rest + validation, --split
valid on the rest and scores the validation events (--write-split DIR writes the three parts, with
their kinds, for `tacit evaluate --train/--test`, whose --data mode scores test only). Values are
ignored.

A user's training sequence is their training events ordered by (timestamp, position in the
training log: train.csv then valid.csv, or the split's order), as EVALUATION.md and Tacit's
EventSequences order them, repeats included (a generated log views, clicks and puts one item in
the cart); an exact duplicate of the user's previous kept event (same item, kind and timestamp)
is dropped, as Tacit does. Same-time events are common in MovieLens (50,146 of the 98,114
consecutive pairs of a user's training events share their second), so this order matters.

Evaluation as Tacit's `evaluate` (TestSet + Evaluator): the candidates are the items of the
training data; every one is ranked for every test user from the last position of their last
max_length training events, the user's training items are dropped. A test user without training
data is skipped; a user whose held-out item is already among their training items has nothing
relevant and is dropped (this happens on generated logs, never on the MovieLens split); a held-out
item unknown to training counts as a miss. NDCG@10 = 1/log2(rank + 1) for a 1-based rank <= 10,
HR@10 = hit, averaged over the evaluated users; ties in score are broken by the lower item index,
items being indexed in order of first appearance in the training log as in Tacit. Only training
is timed.

What still differs from Tacit's `sasrec` with --match-tacit: the random streams (initial weights,
dropout masks, shuffles), Keras' Adam (epsilon added to sqrt(v) before the bias correction;
Tacit's after it), and padding with cut batches here against packed sequences there (the same
arithmetic). Tacit trains in parallel over `threads` workers; TensorFlow uses --threads for its
intra- and inter-op pools.

Prints progress to stderr and one JSON object on the last line of stdout.
"""
import argparse
import csv
import json
import math
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def natural_key(identifier):
    """Tacit's natural id order (IDMap.naturalOrder): integers numerically, before other ids by bytes."""
    try:
        return (0, int(identifier), b"")
    except ValueError:
        return (1, 0, identifier.encode())


def read_rows(path):
    """(user, item, timestamp, kind) per row, in file order (kind `interaction` without a kind column)."""
    with open(path, newline="") as f:
        return [(row["user_id"], row["item_id"], int(row["timestamp"]), (row.get("kind") or "interaction").lower())
                for row in csv.DictReader(f)]


def loo_split(events):
    """Tacit's LeaveLastOut on one event log: (train, valid, test) logs as lists of (u, i, t, kind).

    The output order is Tacit's: users in natural id order, each user's training events oldest
    first; validation and test events one per user in the same user order."""
    by_user = {}
    for position, (u, i, t, kind) in enumerate(events):
        by_user.setdefault(u, []).append((t, position, i, kind))
    train, valid, test = [], [], []
    for u in sorted(by_user, key=natural_key):
        rows = sorted(by_user[u])
        end = len(rows)
        test_row = valid_row = None
        if len(rows) >= 2:
            end -= 1
            test_row = rows[end]
        if len(rows) >= 3:
            end -= 1
            valid_row = rows[end]
        train += [(u, i, t, kind) for t, _, i, kind in rows[:end]]
        if valid_row:
            valid.append((u, valid_row[2], valid_row[0], valid_row[3]))
        if test_row:
            test.append((u, test_row[2], test_row[0], test_row[3]))
    return train, valid, test


def load(args):
    """The training log (in Tacit's order) and the held-out events."""
    if args.events:
        train, valid, test = loo_split(read_rows(args.events))
        return (train + valid, test) if args.split == "test" else (train, valid)
    loo = os.path.join(args.data, "splits", "loo")
    train = read_rows(os.path.join(loo, "train.csv"))
    if args.split == "test":
        return train + read_rows(os.path.join(loo, "valid.csv")), read_rows(os.path.join(loo, "test.csv"))
    return train, read_rows(os.path.join(loo, "valid.csv"))


def sequences(train, item_index, kind_index):
    """Per user: (items, kinds) of their training events, oldest first, by (timestamp, position in
    the training log); items 1-based, exact duplicates of the previous kept event dropped."""
    by_user = {}
    for position, (u, i, t, kind) in enumerate(train):
        by_user.setdefault(u, []).append((t, position, i, kind))
    result = {}
    for u, rows in by_user.items():
        items, kinds, previous = [], [], None
        for t, _, i, kind in sorted(rows):
            if (i, kind, t) == previous:
                continue
            previous = (i, kind, t)
            items.append(item_index[i] + 1)
            kinds.append(kind_index[kind])
        result[u] = (items, kinds)
    return result


def left_padded(rows, width):
    out = np.zeros((len(rows), width), dtype=np.int32)
    for k, row in enumerate(rows):
        row = row[-width:]
        if row:
            out[k, width - len(row):] = row
    return out


def evaluate(score, train, held_out, history, item_index, L):
    """NDCG@10, HR@10, evaluated and skipped users, as Tacit's TestSet and Evaluator.

    score(seq, kinds) gives [rows, n] scores (item k + 1 in column k) for left-padded [rows, m]
    items and kind codes; history[u] = (items, kinds) as `sequences` gives them."""
    target = {}
    for u, i, _, _ in held_out:
        target.setdefault(u, i)  # LOO: one held-out event per user
    seen = {}
    for u, i, _, _ in train:
        seen.setdefault(u, set()).add(i)
    evaluated = [u for u in sorted(target, key=natural_key) if u in seen and target[u] not in seen[u]]
    skipped = sum(1 for u in target if u not in seen)
    ndcg = hits = 0.0
    for b in range(0, len(evaluated), 256):
        users = evaluated[b:b + 256]
        width = min(L, max(len(history[u][0]) for u in users))
        scores = score(left_padded([history[u][0][-L:] for u in users], width),
                       left_padded([history[u][1][-L:] for u in users], width))
        for row, u in zip(scores, users):
            row[np.array(history[u][0]) - 1] = -np.inf
            k = item_index.get(target[u])
            if k is None:
                continue  # unknown to training: a miss
            value = row[k]
            rank = 1 + int(np.sum(row > value)) + int(np.sum(row[:k] == value))  # ties: lower index first
            if rank <= 10:
                hits += 1
                ndcg += 1 / math.log2(rank + 1)
    n = max(1, len(evaluated))
    return ndcg / n, hits / n, len(evaluated), skipped


class SASRec(tf.keras.Model):
    def __init__(self, items, max_length, d, blocks, heads, dropout, norm, kinds=0, output_projection=False):
        super().__init__()
        if d % heads:
            raise ValueError(f"dimension {d} is not divisible by heads {heads}")
        self.items, self.max_length, self.d, self.heads, self.norm = items, max_length, d, heads, norm
        self.item_embedding = self.add_weight(name="item_embedding", shape=(items + 1, d), initializer="glorot_uniform")
        self.position_embedding = self.add_weight(name="position_embedding", shape=(max_length, d), initializer="glorot_uniform")
        self.kind_embedding = self.add_weight(name="kind_embedding", shape=(kinds, d), initializer="zeros") if kinds else None
        self.output_projection = output_projection
        self.dropout = tf.keras.layers.Dropout(dropout)
        self.attention_dropout = tf.keras.layers.Dropout(dropout)
        ln = lambda: tf.keras.layers.LayerNormalization(epsilon=1e-8)  # noqa: E731
        self.blocks = []
        for _ in range(blocks):
            self.blocks.append({
                "ln1": ln(), "q": tf.keras.layers.Dense(d), "k": tf.keras.layers.Dense(d), "v": tf.keras.layers.Dense(d),
                "o": tf.keras.layers.Dense(d) if output_projection else None,
                "ln2": ln(), "ff1": tf.keras.layers.Dense(d, activation="relu"), "ff2": tf.keras.layers.Dense(d),
            })
        self.final_ln = ln()
        self.causal = tf.constant(np.tril(np.ones((max_length, max_length), dtype=bool)))

    def split_heads(self, x):
        b, m = tf.shape(x)[0], tf.shape(x)[1]
        return tf.transpose(tf.reshape(x, (b, m, self.heads, self.d // self.heads)), (0, 2, 1, 3))

    def attention(self, block, queries, keys, allowed, training):
        q = self.split_heads(block["q"](queries))
        k = self.split_heads(block["k"](keys))
        v = self.split_heads(block["v"](keys))
        scores = tf.matmul(q, k, transpose_b=True) / math.sqrt(self.d // self.heads)
        scores = tf.where(allowed, scores, -1e9)  # padded query rows get uniform weights; masked below
        weights = self.attention_dropout(tf.nn.softmax(scores, axis=-1), training=training)
        out = tf.transpose(tf.matmul(weights, v), (0, 2, 1, 3))
        out = tf.reshape(out, (tf.shape(out)[0], tf.shape(out)[1], self.d))
        if self.output_projection:
            out = self.dropout(block["o"](out), training=training)
        return out

    def call(self, inputs, training=False):
        """inputs: (seq, kinds), [batch, m] item ids and kind codes, the last m of the max_length
        left-padded columns (m <= max_length; dropping columns that are padding in every row
        changes nothing but the work)."""
        seq, kinds = inputs
        m = tf.shape(seq)[1]
        mask = tf.cast(tf.not_equal(seq, 0), tf.float32)[..., None]
        x = tf.gather(self.item_embedding, seq) * math.sqrt(self.d) + self.position_embedding[None, self.max_length - m:]
        if self.kind_embedding is not None:
            x = x + tf.gather(self.kind_embedding, kinds)
        x = self.dropout(x, training=training) * mask
        allowed = tf.logical_and(self.causal[None, None, :m, :m], tf.not_equal(seq, 0)[:, None, None, :])
        for block in self.blocks:
            if self.norm == "original":
                q = block["ln1"](x)
                x = q + self.attention(block, q, x, allowed, training)
                h = block["ln2"](x)
                x = h + self.feed_forward(block, h, training)
            else:
                h = block["ln1"](x)
                a = self.attention(block, h, h, allowed, training)
                x = x + (a if self.output_projection else self.dropout(a, training=training))
                x = x + self.feed_forward(block, block["ln2"](x), training)
            x = x * mask
        return self.final_ln(x)

    def feed_forward(self, block, h, training):
        return self.dropout(block["ff2"](self.dropout(block["ff1"](h), training=training)), training=training)

    def logits(self, hidden):
        return tf.matmul(hidden, self.item_embedding[1:], transpose_b=True)  # [.., n]: item k+1 in column k


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="../shared/data/ml-100k", help="MovieLens directory with splits/loo")
    parser.add_argument("--events", help="an event log to split with LOO instead of --data's files")
    parser.add_argument("--split", choices=["test", "valid"], default="test")
    parser.add_argument("--max-length", type=int, default=200)
    parser.add_argument("--dimension", type=int, default=64)
    parser.add_argument("--blocks", type=int, default=2)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=0.001)
    parser.add_argument("--norm", choices=["original", "pre"], default="original",
                        help="LayerNorm placement: the paper's code (default) or pre-LN")
    parser.add_argument("--output-projection", action="store_true", help="attention output through W_O and dropout (Tacit)")
    parser.add_argument("--kinds", action="store_true", help="add a learned embedding of the event kind (Tacit)")
    parser.add_argument("--clip-norm", type=float, default=0.0, help="clip gradients to this global norm (0 = off; Tacit: 5)")
    parser.add_argument("--match-tacit", action="store_true", help="--output-projection --kinds --clip-norm 5")
    parser.add_argument("--write-split", metavar="DIR", help="with --events: write the LOO split to DIR/{train,valid,test}.csv "
                        "(user_id,item_id,kind,timestamp) and stop")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2, help="TensorFlow intra/inter-op threads")
    args = parser.parse_args()
    if args.match_tacit:
        args.output_projection, args.kinds = True, True
        args.clip_norm = args.clip_norm or 5.0

    if args.write_split:
        if not args.events:
            parser.error("--write-split needs --events")
        os.makedirs(args.write_split, exist_ok=True)
        for name, part in zip(["train", "valid", "test"], loo_split(read_rows(args.events))):
            with open(os.path.join(args.write_split, name + ".csv"), "w", newline="") as f:
                out = csv.writer(f, lineterminator="\n")
                out.writerow(["user_id", "item_id", "kind", "timestamp"])
                out.writerows((u, i, kind, t) for u, i, t, kind in part)
        return

    tf.keras.utils.set_random_seed(args.seed)
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    train, held_out = load(args)
    items = list(dict.fromkeys(i for _, i, _, _ in train))  # first appearance, as Tacit's matrix
    item_index = {i: k for k, i in enumerate(items)}
    kind_index = {kind: k for k, kind in enumerate(dict.fromkeys(kind for _, _, _, kind in train))}
    history = sequences(train, item_index, kind_index)
    L = args.max_length

    trainable = [u for u in sorted(history, key=natural_key) if len(history[u][0]) >= 2]
    windows = left_padded([history[u][0][-(L + 1):] for u in trainable], L + 1)
    inputs, targets = windows[:, :-1], windows[:, 1:].copy()
    targets[inputs == 0] = 0  # a padding input predicts nothing (the first item is no target)
    input_kinds = left_padded([history[u][1][-(L + 1):] for u in trainable], L + 1)[:, :-1]
    widths = np.count_nonzero(inputs, axis=1)  # a batch is cut to its widest row (left padding)
    extras = " ".join(name for name, on in [("output-projection", args.output_projection), ("kinds", args.kinds)] if on)
    print(f"SASRec reference: {len(history)} users, {len(items)} items, {len(kind_index)} kinds, {len(train)} training "
          f"events, {int(np.count_nonzero(targets))} training targets; L={L} d={args.dimension} blocks={args.blocks} "
          f"heads={args.heads} dropout={args.dropout} norm={args.norm} epochs={args.epochs} batch={args.batch_size} "
          f"lr={args.learning_rate} clip_norm={args.clip_norm} {extras} threads={args.threads} split={args.split}",
          file=sys.stderr)

    model = SASRec(len(items), L, args.dimension, args.blocks, args.heads, args.dropout, args.norm,
                   kinds=len(kind_index) if args.kinds else 0, output_projection=args.output_projection)
    optimizer = tf.keras.optimizers.Adam(learning_rate=args.learning_rate, beta_1=0.9, beta_2=0.98, epsilon=1e-8)
    spec = tf.TensorSpec((None, None), tf.int32)

    # Graph mode; the logits only at the scored positions (XLA's jit_compile needs fixed shapes,
    # so logits at all positions, and measured slower on this CPU: 7.3-8 s against 5.6 s per epoch).
    @tf.function(input_signature=[spec, spec, spec])
    def train_step(seq, kinds, target):
        with tf.GradientTape() as tape:
            hidden = model((seq, kinds), training=True)
            scored = tf.not_equal(target, 0)
            logits = model.logits(tf.boolean_mask(hidden, scored))
            labels = tf.boolean_mask(target, scored) - 1
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        variables = model.trainable_variables
        gradients = tape.gradient(loss, variables)
        if args.clip_norm > 0:
            gradients, _ = tf.clip_by_global_norm(gradients, args.clip_norm)
        optimizer.apply_gradients(zip(gradients, variables))
        return loss

    model((tf.constant(inputs[:1]), tf.constant(input_kinds[:1])), training=False)  # create the variables before timing
    optimizer.build(model.trainable_variables)
    train_step.get_concrete_function()  # trace the step before timing (its first run still optimises the graph)
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    loss = float("nan")
    for epoch in range(1, args.epochs + 1):
        epoch_start = time.perf_counter()
        order = rng.permutation(len(trainable))
        total, batches = 0.0, 0
        for b in range(0, len(order), args.batch_size):
            rows = order[b:b + args.batch_size]
            m = int(widths[rows].max())
            total += float(train_step(inputs[rows, L - m:], input_kinds[rows, L - m:], targets[rows, L - m:]))
            batches += 1
        loss = total / max(1, batches)
        print(f"epoch {epoch}/{args.epochs}: loss {loss:.4f}, {time.perf_counter() - epoch_start:.2f} s", file=sys.stderr)
    train_seconds = time.perf_counter() - start

    def score(seq, kinds):
        return model.logits(model((tf.constant(seq), tf.constant(kinds)), training=False)[:, -1, :]).numpy()

    ndcg, hr, evaluated, skipped = evaluate(score, train, held_out, history, item_index, L)
    result = {
        "system": "tensorflow-sasrec", "split": args.split, "data": args.events or args.data,
        "max_length": L, "dimension": args.dimension, "blocks": args.blocks, "heads": args.heads,
        "dropout": args.dropout, "norm": args.norm, "output_projection": args.output_projection,
        "kinds": args.kinds, "clip_norm": args.clip_norm, "epochs": args.epochs,
        "batch_size": args.batch_size, "learning_rate": args.learning_rate, "threads": args.threads,
        "train_seconds": round(train_seconds, 3), "seconds_per_epoch": round(train_seconds / max(1, args.epochs), 3),
        "final_loss": loss, "users": evaluated, "skipped_users": skipped, "items": len(items),
        "NDCG@10": ndcg, "HR@10": hr, "tensorflow": tf.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
