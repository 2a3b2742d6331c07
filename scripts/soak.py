#!/usr/bin/env python3
"""A bounded soak of a running `tacit serve`: normal and hostile traffic mixed, RSS sampled.

    scripts/soak.py --port 8080 --pid PID --key KEY --minutes 10 [--workers 4]

Loopback only (127.0.0.1). Each worker loops until the time is up, sending a mix of:
events (single and batches), recommendations, popular/trending, item upserts, deletes, and
hostile requests (odd path spellings without the key, NUL and control characters in ids,
out-of-range numbers, far-future timestamps, long URIs, unknown methods, bad percent-encoding).
It fails (exit 1) when a request gets a 5xx, a hostile request gets a 2xx, the process dies,
or RSS grows by more than --max-growth-mib over the last third of the run (before it, live state
fills: histories up to serving.history_limit per user of the bounded user pool, counters).
Prints one line per RSS sample and a summary.
"""
import argparse
import http.client
import json
import os
import random
import sys
import threading
import time


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Worker(threading.Thread):
    def __init__(self, port, key, deadline, seed, stats, lock):
        super().__init__(daemon=True)
        self.port, self.key, self.deadline = port, key, deadline
        self.rng = random.Random(seed)
        self.stats, self.lock = stats, lock
        self.failures = []

    def send(self, method, target, body=None, key=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if key:
            headers["X-API-Key"] = self.key
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            data = body.encode() if isinstance(body, str) else body
            conn.putheader("Content-Length", str(len(data) if data else 0))
            conn.endheaders(data)
            resp = conn.getresponse()
            resp.read()
            return resp.status
        except (ConnectionError, http.client.HTTPException, OSError) as e:
            return f"error {e}"
        finally:
            conn.close()

    def check(self, label, status, hostile):
        with self.lock:
            self.stats[label] = self.stats.get(label, 0) + 1
        if not isinstance(status, int) or status >= 500 or (hostile and 200 <= status < 300):
            self.failures.append(f"{label}: {status}")

    def event(self, user, item, **extra):
        e = {"user_id": user, "item_id": item, "kind": self.rng.choice(["view", "click", "add_to_cart", "purchase"])}
        e.update(extra)
        return e

    def run(self):
        r = self.rng
        while time.time() < self.deadline:
            user = f"soak{r.randrange(5000)}"
            item = f"i{r.randrange(2000)}"
            choice = r.random()
            if choice < 0.30:
                self.check("event", self.send("POST", "/v1/events", json.dumps(self.event(user, item))), False)
            elif choice < 0.40:
                batch = {"events": [self.event(f"soak{r.randrange(5000)}", f"i{r.randrange(2000)}") for _ in range(50)]}
                self.check("batch", self.send("POST", "/v1/events", json.dumps(batch)), False)
            elif choice < 0.70:
                self.check("recommend", self.send("GET", f"/v1/users/{user}/recommendations?count=10"), False)
            elif choice < 0.75:
                self.check("trending", self.send("GET", r.choice(["/v1/trending?count=20", "/v1/popular?count=20"])), False)
            elif choice < 0.78:
                body = json.dumps({"title": f"Soak {item}", "category": "Soak", "price": r.random() * 100})
                self.check("upsert", self.send("PUT", f"/v1/items/soak-{item}", body), False)
            elif choice < 0.80:
                self.check("delete", self.send("DELETE", f"/v1/users/soak-gone{r.randrange(100)}"), False)
            else:
                self.hostile(user, item)

    def hostile(self, user, item):
        r = self.rng
        cases = [
            ("DELETE", f"//v1/users/{user}", None, False),
            ("POST", "//v1/events", json.dumps(self.event(user, item)), False),
            ("POST", "/v1/./models/train", None, False),
            ("POST", "/v1/events", json.dumps(self.event(user, item, timestamp=1e25)), True),
            ("POST", "/v1/events", json.dumps(self.event(user, item, timestamp="9999-12-31T23:59:59Z")), True),
            ("POST", "/v1/events", json.dumps(self.event(user, item, value=1e300)), True),
            ("POST", "/v1/events", json.dumps(self.event(user + "\u0000x", item)), True),
            ("POST", "/v1/events", json.dumps(self.event(user, item, event_id="")), True),
            ("PUT", "/v1/items/z", json.dumps({"created_at": r.choice([1e300, -1e300])}), True),
            ("GET", "/v1/users/%E0%A4/events", None, True),
            ("GET", "/v1/items/" + "a" * r.choice([9000, 100_000]), None, True),
            ("PATCH", "/v1/popular", None, True),
            ("POST", "/v1/events", "{\"events\": " + "[" * 5000 + "]" * 5000 + "}", True),
            ("POST", "/v1/events", bytes([r.randrange(256) for _ in range(r.randrange(1, 300))]), True),
        ]
        method, target, body, key = r.choice(cases)
        self.check(f"hostile {method} {target[:30]}", self.send(method, target, body, key=key), True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--key", default="")
    p.add_argument("--minutes", type=float, default=10)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--max-growth-mib", type=float, default=32)
    a = p.parse_args()
    deadline = time.time() + a.minutes * 60
    stats, lock = {}, threading.Lock()
    workers = [Worker(a.port, a.key, deadline, seed, stats, lock) for seed in range(a.workers)]
    for w in workers:
        w.start()
    samples = []
    start = time.time()
    while any(w.is_alive() for w in workers):
        if not os.path.exists(f"/proc/{a.pid}"):
            print("the server process died", file=sys.stderr)
            sys.exit(1)
        samples.append((time.time() - start, rss_mib(a.pid)))
        print(f"t={samples[-1][0]:7.1f}s rss={samples[-1][1]:8.1f} MiB requests={sum(stats.values())}", flush=True)
        time.sleep(min(30, max(1, a.minutes * 60 / 20)))
    failures = [f for w in workers for f in w.failures]
    # Live state (histories up to serving.history_limit per user, counters, co-occurrence) fills
    # while the soak's bounded pools of users and items are seen; a leak keeps growing after.
    # So the check is on the last third of the run; the whole growth is printed beside it.
    end = samples[-1][0]
    settled = [s for t, s in samples if t >= end * 2 / 3] or [samples[-1][1]]
    first = [s for t, s in samples if t <= 60] or [samples[0][1]]
    growth = max(settled) - settled[0]
    total = sum(stats.values())
    print(f"soak: {total} requests in {time.time() - start:.0f} s, {len(failures)} failures, "
          f"RSS {max(first):.1f} -> {max(settled):.1f} MiB over the run; "
          f"{settled[0]:.1f} -> {max(settled):.1f} MiB in its last third (growth {growth:+.1f} MiB)")
    for f in failures[:20]:
        print("  failure:", f)
    sys.exit(1 if failures or growth > a.max_growth_mib else 0)


if __name__ == "__main__":
    main()
