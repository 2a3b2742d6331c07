#!/usr/bin/env python3
"""A seeded, grocery-like purchase log for scripts/bench-defaults.sh: households that buy the
same staples again and again, each at its own rhythm, plus a few new products on each trip.

usage: grocery_log.py --output DIR [--households 5000] [--products 6000] [--days 180] [--seed 7]

Writes DIR/events.csv (user_id,item_id,event,timestamp,value): every row is a `purchase`, the
value is the quantity. The model:
  * products belong to 60 aisles; within an aisle, popularity is Zipf-like (exponent 1.1);
  * a household prefers a few aisles (Dirichlet(0.3) over aisles) and starts with 8 + Poisson(10)
    staples drawn from them by popularity, each with its own repurchase interval (log-normal,
    median 14 days);
  * a household shops every 3 to 10 days (its own pace, with jitter); on a trip it buys every
    staple that is due (with probability 0.85) and 1 + Poisson(2) products it has not bought
    before, from its aisles by popularity; a new product becomes a staple with probability 0.25.
So most lines repeat earlier purchases, and what a household buys next that is new follows its
aisles and the products other households in them buy: the signal collaborative models learn.
"""
import argparse
import os

import numpy as np


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--output", required=True)
    ap.add_argument("--households", type=int, default=5000)
    ap.add_argument("--products", type=int, default=6000)
    ap.add_argument("--aisles", type=int, default=60)
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)

    aisle_of = rng.integers(0, args.aisles, args.products)
    members = [np.flatnonzero(aisle_of == a) for a in range(args.aisles)]
    weights = []
    for a in range(args.aisles):
        ranks = rng.permutation(len(members[a])) + 1
        w = 1.0 / ranks ** 1.1
        weights.append(w / w.sum())

    start = 1_704_067_200  # 2024-01-01 UTC
    day = 86_400
    rows = []
    for h in range(args.households):
        taste = rng.dirichlet(np.full(args.aisles, 0.3))

        def draw(owned):
            for _ in range(20):
                a = rng.choice(args.aisles, p=taste)
                if len(members[a]) == 0:
                    continue
                p = members[a][rng.choice(len(members[a]), p=weights[a])]
                if p not in owned:
                    return int(p)
            return None

        owned = set()
        staples = {}
        for _ in range(8 + rng.poisson(10)):
            p = draw(owned)
            if p is not None:
                owned.add(p)
                staples[p] = [float(np.clip(rng.lognormal(np.log(14), 0.5), 3, 90)), -1e9]
        pace = rng.uniform(3, 10)
        t = rng.uniform(0, pace)
        while t < args.days:
            stamp = start + int(t * day) + int(rng.integers(8 * 3600, 20 * 3600))
            for p, (interval, last) in staples.items():
                if t - last >= interval * rng.uniform(0.8, 1.2) and rng.random() < 0.85:
                    rows.append((h, p, stamp, 1 + rng.poisson(0.5)))
                    staples[p][1] = t
            for _ in range(1 + rng.poisson(2)):
                p = draw(owned)
                if p is None:
                    continue
                owned.add(p)
                rows.append((h, p, stamp, 1 + rng.poisson(0.3)))
                if rng.random() < 0.25:
                    staples[p] = [float(np.clip(rng.lognormal(np.log(14), 0.5), 3, 90)), t]
            t += pace * rng.uniform(0.7, 1.3)

    rows.sort(key=lambda r: (r[2], r[0], r[1]))
    os.makedirs(args.output, exist_ok=True)
    with open(os.path.join(args.output, "events.csv"), "w") as f:
        f.write("user_id,item_id,event,timestamp,value\n")
        for h, p, stamp, quantity in rows:
            f.write(f"h{h},p{p},purchase,{stamp},{quantity}\n")
    print(f"{len(rows)} purchase lines, {args.households} households, {args.products} products -> {args.output}/events.csv")


if __name__ == "__main__":
    main()
