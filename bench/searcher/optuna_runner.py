"""Optuna's TPESampler on the benchmark functions (mirrors functions.ts), for bench/searcher/main.ts.

Reads one JSON request on stdin: {"functions": [...], "seeds": [...], "budget": N, "workers": [1, 8],
"latency": {"fn", "observations", "repeats"}};
writes one JSON line per run: {"fn", "workers", "multivariate", "seed", "values"} with the objective values in the
order trials finished, after a first line of probe values that main.ts checks against TypeScript,
and a last line with the median latency of one TPE suggestion, in each mode, at that many observations.
Parallel runs keep `workers` trials asked and not yet told (FIFO), with constant_liar=True.
"""
import json
import math
import statistics
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
]


def hartmann6(p):
    total = 0.0
    for i in range(4):
        inner = sum(H_A[i][j] * (p[f"x{j}"] - H_P[i][j]) ** 2 for j in range(6))
        total += H_ALPHA[i] * math.exp(-inner)
    return -total


BATCH_PENALTY = {64: 0.3, 128: 0.0, 256: 0.1, 512: 0.4}


def mixed4(p):
    return (
        (math.log10(p["max_lr"]) + 2) ** 2
        + 0.05 * (p["crop_pad"] - 3) ** 2
        + BATCH_PENALTY[p["batch_size"]]
        + 2 * (p["dropout"] - 0.2) ** 2
    )


def suggest(trial, fn):
    if fn == "branin":
        return {"x1": trial.suggest_float("x1", -5, 10), "x2": trial.suggest_float("x2", 0, 15)}
    if fn == "hartmann6":
        return {f"x{j}": trial.suggest_float(f"x{j}", 0, 1) for j in range(6)}
    return {
        "max_lr": trial.suggest_float("max_lr", 1e-4, 1, log=True),
        "crop_pad": trial.suggest_int("crop_pad", 0, 8),
        "batch_size": trial.suggest_categorical("batch_size", [64, 128, 256, 512]),
        "dropout": trial.suggest_float("dropout", 0, 0.9),
    }


FUNCTIONS = {"branin": branin, "hartmann6": hartmann6, "mixed4": mixed4}
PROBES = {
    "branin": {"x1": 1.5, "x2": 7.25},
    "hartmann6": {f"x{j}": 0.1 + 0.13 * j for j in range(6)},
    "mixed4": {"max_lr": 0.003, "crop_pad": 5, "batch_size": 256, "dropout": 0.45},
}


def run(fn, seed, budget, workers, multivariate):
    # Both modes set explicitly: Optuna 5 defaults to multivariate for one objective.
    sampler = optuna.samplers.TPESampler(seed=seed, constant_liar=True, multivariate=multivariate)
    study = optuna.create_study(sampler=sampler, direction="minimize")
    f = FUNCTIONS[fn]
    pending = []
    values = []
    asked = 0
    while len(values) < budget:
        while asked < budget and len(pending) < workers:
            trial = study.ask()
            pending.append((trial, suggest(trial, fn)))
            asked += 1
        trial, params = pending.pop(0)
        value = f(params)
        study.tell(trial, value)
        values.append(value)
    return values


def latency_ms(fn, observations, repeats, multivariate):
    """Median time of one ask (sampling every param) with `observations` completed trials."""
    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    study.optimize(lambda trial: FUNCTIONS[fn](suggest(trial, fn)), n_trials=observations)
    study.sampler = optuna.samplers.TPESampler(seed=0, multivariate=multivariate, constant_liar=False)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trial = study.ask()
        suggest(trial, fn)
        times.append((time.perf_counter() - start) * 1000)
        study.tell(trial, state=optuna.trial.TrialState.FAIL)
    return statistics.median(times)


def main():
    request = json.load(sys.stdin)
    print(json.dumps({"probe": {fn: FUNCTIONS[fn](PROBES[fn]) for fn in request["functions"]}, "optuna": optuna.__version__}), flush=True)
    for fn in request["functions"]:
        for workers in request["workers"]:
            for multivariate in (False, True):
                for seed in request["seeds"]:
                    values = run(fn, seed, request["budget"], workers, multivariate)
                    line = {"fn": fn, "workers": workers, "multivariate": multivariate, "seed": seed, "values": values}
                    print(json.dumps(line), flush=True)
    latency = request["latency"]
    ms = {
        mode: latency_ms(latency["fn"], latency["observations"], latency["repeats"], mode == "multivariate")
        for mode in ("independent", "multivariate")
    }
    print(json.dumps({"latency_ms": ms}), flush=True)


if __name__ == "__main__":
    main()
