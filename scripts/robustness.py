#!/usr/bin/env python3
"""Checks of `tacit serve` that need a real process: durability under kill -9 and a PostgreSQL
outage under load. Loopback only; prints a summary line per round and exits 1 on any failure.

    scripts/robustness.py kill9 --store /tmp/k.sqlite [--rounds 7] [--seconds 3]
    scripts/robustness.py kill9 --store postgres://postgres@127.0.0.1:PORT/tacit_test?schema=k9
    scripts/robustness.py outage --store postgres://...  [--down-seconds 10]
        (pauses and resumes the cluster of scripts/postgres-test-server.sh)

kill9: each round starts `tacit serve` on the store, lets 4 writers post events with unique
event ids (single events and batches of 50) as fast as it answers, kills the process with
SIGKILL at a random moment, restarts it and checks that every acknowledged event (a 200) is
stored: each writer's user history must hold every event id it got a 200 for.

outage: 4 writers post events while the database is paused for --down-seconds and resumed.
Every answer must be a 200 or a 503 with Retry-After (never a 500 or another status), no request
may take longer than the configured timeouts allow (connect + query + 2 s), the service must
answer 200 again within 30 s of the resume, and every acknowledged event must be stored.
"""
import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEY = "robust-key"


def start_server(tacit, store, log_path, extra=()):
    log = open(log_path, "ab")
    models = os.path.join(os.path.dirname(log_path), "models")  # not ./tacit-models in the checkout
    process = subprocess.Popen([tacit, "serve", "--store", store, "--port", "0", "--api-key", KEY, "--model-dir", models,
                                "--log-level", "warning", *extra], stdout=subprocess.PIPE, stderr=log)
    deadline = time.time() + 300
    while time.time() < deadline:
        line = process.stdout.readline().decode()
        if not line:
            if process.poll() is not None:
                raise SystemExit(f"tacit serve exited ({process.returncode}); see {log_path}")
            continue
        if line.startswith("tacit serving on http://"):
            port = int(line.split("http://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
            threading.Thread(target=lambda: process.stdout.read(), daemon=True).start()
            return process, port
    raise SystemExit("tacit serve did not start within 300 s")


def request(port, method, path, body=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"X-API-Key": KEY}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


class Writer(threading.Thread):
    """Posts events for one user with unique ids; remembers the acknowledged ones."""

    def __init__(self, port, user, seed, stop, record_statuses=False):
        super().__init__(daemon=True)
        self.port, self.user, self.stop = port, user, stop
        self.rng = random.Random(seed)
        self.acknowledged = set()
        self.sent = 0
        self.statuses = {}
        self.bad = []
        self.slowest = 0.0
        self.record_statuses = record_statuses

    def run(self):
        n = 0
        while not self.stop.is_set():
            size = 1 if self.rng.random() < 0.5 else 50
            ids = [f"{self.user}-{n + k}" for k in range(size)]
            n += size
            events = [{"user_id": self.user, "item_id": f"i{self.rng.randrange(200)}", "kind": "view", "event_id": e}
                      for e in ids]
            body = events[0] if size == 1 else {"events": events}
            started = time.time()
            try:
                status, headers, _ = request(self.port, "POST", "/v1/events", body, timeout=60)
            except (OSError, http.client.HTTPException):
                if self.stop.is_set():
                    return
                status, headers = None, {}
                time.sleep(0.05)
            elapsed = time.time() - started
            self.slowest = max(self.slowest, elapsed)
            self.sent += size
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.acknowledged.update(ids)
            elif self.record_statuses and status is not None and not (status == 503 and "Retry-After" in headers):
                self.bad.append((status, elapsed))


def stored_ids(port, user):
    status, _, data = request(port, "GET", f"/v1/users/{urllib.parse.quote(user, safe='')}/events", timeout=120)
    if status != 200:
        raise SystemExit(f"GET events of {user}: {status} {data[:200]!r}")
    return {e.get("event_id") for e in json.loads(data)["events"]}


def kill9(args):
    lost_total = acknowledged_total = 0
    log = os.path.join(tempfile.mkdtemp(prefix="tacit-kill9-"), "serve.log")
    rng = random.Random(args.seed)
    writers_all = []
    for round_number in range(1, args.rounds + 1):
        process, port = start_server(args.tacit, args.store, log)
        stop = threading.Event()
        writers = [Writer(port, f"r{round_number}w{k}", rng.random(), stop) for k in range(4)]
        for w in writers:
            w.start()
        time.sleep(rng.uniform(args.seconds / 2, args.seconds))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stop.set()
        for w in writers:
            w.join(timeout=70)
        writers_all += writers
        # Restart and check every acknowledged event of every round so far.
        process, port = start_server(args.tacit, args.store, log)
        lost = 0
        for w in writers_all:
            missing = w.acknowledged - stored_ids(port, w.user)
            lost += len(missing)
        acknowledged = sum(len(w.acknowledged) for w in writers)
        acknowledged_total += acknowledged
        lost_total = lost
        print(f"kill9 round {round_number}: {acknowledged} events acknowledged before SIGKILL; "
              f"lost (all rounds so far): {lost}", flush=True)
        process.terminate()
        process.wait()
    print(f"kill9: {args.rounds} rounds, {acknowledged_total} acknowledged events, {lost_total} lost")
    return 0 if lost_total == 0 else 1


def outage(args):
    log = os.path.join(tempfile.mkdtemp(prefix="tacit-outage-"), "serve.log")
    pg = os.path.join(ROOT, "scripts", "postgres-test-server.sh")
    process, port = start_server(args.tacit, args.store, log)
    stop = threading.Event()
    writers = [Writer(port, f"out{k}-{int(time.time())}", k, stop, record_statuses=True) for k in range(4)]
    for w in writers:
        w.start()
    time.sleep(3)
    subprocess.run([pg, "pause"], check=True)
    paused_at = time.time()
    time.sleep(args.down_seconds)
    subprocess.run([pg, "resume"], check=True)
    resumed_at = time.time()
    recovered = None
    while time.time() - resumed_at < 60:
        try:
            status, _, _ = request(port, "GET", "/readyz", timeout=5)
        except (OSError, http.client.HTTPException) as error:
            print(f"outage: /readyz did not answer: {error!r}", flush=True)
            status = None
        if status == 200:
            recovered = time.time() - resumed_at
            break
        time.sleep(0.2)
    print(f"outage: ready again after {recovered} s; writing 3 s more", flush=True)
    time.sleep(3)
    stop.set()
    for w in writers:
        w.join(timeout=70)
        if w.is_alive():
            print(f"outage: writer {w.user} still waiting for an answer after 70 s", flush=True)
    failures = []
    statuses = {}
    for w in writers:
        for status, count in w.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
        failures += w.bad
    limit = args.connect_timeout + args.query_timeout + 2
    slowest = max(w.slowest for w in writers)
    lost = sum(len(w.acknowledged - stored_ids(port, w.user)) for w in writers)
    acknowledged = sum(len(w.acknowledged) for w in writers)
    alive = process.poll() is None
    process.terminate()
    process.wait()
    print(f"outage: database down {resumed_at - paused_at:.1f} s; answers by status {statuses}; "
          f"slowest request {slowest:.2f} s (limit {limit:.0f} s); ready again {recovered if recovered is None else round(recovered, 2)} s "
          f"after the resume; {acknowledged} acknowledged, {lost} lost; server alive: {alive}")
    ok = not failures and slowest <= limit and recovered is not None and recovered <= 30 and lost == 0 and alive
    if failures:
        print(f"outage: FAILED: answers that are neither 200 nor 503 with Retry-After: {failures[:10]}")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("check", choices=["kill9", "outage"])
    p.add_argument("--tacit", default=os.path.join(ROOT, ".build", "debug", "tacit"))
    p.add_argument("--store", required=True)
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--seconds", type=float, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--down-seconds", type=float, default=10)
    p.add_argument("--connect-timeout", type=float, default=3, help="storage.connect_timeout_seconds of the server")
    p.add_argument("--query-timeout", type=float, default=10, help="storage.query_timeout_seconds of the server")
    args = p.parse_args()
    sys.exit(kill9(args) if args.check == "kill9" else outage(args))


if __name__ == "__main__":
    main()
