"""Rows per second of a model package's own ``predict``, in-process: the limit the service's
prediction endpoint is measured against. Run in the service's environment:

    python predicting.py <model package> <rounds>    (BATCH_SIZES: a JSON list)

Prints {batch size: [rows per second of each round]}.
"""

import importlib
import json
import os
import sys
import time

ROUND_SECONDS = 1.0


def rows_per_second(predict, batch) -> float:  # type: ignore[no-untyped-def]
    calls, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < ROUND_SECONDS:
        predict(batch)
        calls += 1
    return calls * len(batch) / elapsed


def main(package: str, rounds: str) -> None:
    model_package = importlib.import_module(package)
    schema = importlib.import_module(f"{package}.schema")
    model = model_package.load()
    examples = schema.EXAMPLES
    rates = {}
    for size in json.loads(os.environ["BATCH_SIZES"]):
        batch = [model_package.Measurements(**examples[i % len(examples)]) for i in range(size)]
        model.predict(batch)  # warm
        rates[str(size)] = [rows_per_second(model.predict, batch) for _ in range(int(rounds))]
    print(json.dumps(rates))


if __name__ == "__main__":
    main(*sys.argv[1:])
