"""Clients sending prediction batches, in a process of their own (so that their work does not
compete with the test's measurements for the interpreter):

    python -m support.batch_clients URL CLIENTS BATCH_SIZE PERIOD SECONDS

Each client sends a batch every PERIOD seconds (or back to back, if slower); prints the count
of each status as JSON when done.
"""

import json
import sys
import threading
import time
from collections import Counter

import httpx2

from support.serving import instances


def send_batches(
    url: str, batch_size: int, period: float, until: float, statuses: Counter[int]
) -> None:
    batch = {"instances": instances(batch_size)}
    with httpx2.Client(base_url=url, timeout=30) as client:
        while (started := time.monotonic()) < until:
            statuses[client.post("/api/v1/predict", json=batch).status_code] += 1
            time.sleep(max(0.0, period - (time.monotonic() - started)))


def main(url: str, clients: str, batch_size: str, period: str, seconds: str) -> None:
    until = time.monotonic() + float(seconds)
    counts: list[Counter[int]] = [Counter() for _ in range(int(clients))]
    threads = [
        threading.Thread(
            target=send_batches, args=(url, int(batch_size), float(period), until, statuses)
        )
        for statuses in counts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(sum(counts, Counter())))


if __name__ == "__main__":
    main(*sys.argv[1:])
