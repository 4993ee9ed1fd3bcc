"""The BL-a daily backlog model, vectorised over replications with numpy.

B(t) = max(0, B(t-1) + A(t) - S), A(t) ~ Poisson(100), S = 105, B(0) = 0,
90 days. Prints the mean and P5 / P50 / P95 (inverse-CDF quantiles, as
aspa uses) of the debt on days 1, 7, 30, 60 and 90, and the wall time of
the simulation. Usage: python3 bl_a.py REPLICATIONS [SEED]
"""

import sys
import time

import numpy as np


def quantile(sorted_values, q):
    # P_q = min{x : F(x) >= q}: the ceil(n q)-th smallest value.
    n = len(sorted_values)
    k = max(1, min(n, int(np.ceil(q * n))))
    return int(sorted_values[k - 1])


def main():
    runs = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
    rng = np.random.default_rng(seed)
    report = {1, 7, 30, 60, 90}
    start = time.perf_counter()
    debt = np.zeros(runs, dtype=np.int64)
    kept = {}
    for day in range(1, 91):
        debt += rng.poisson(100.0, runs)
        debt -= 105
        np.maximum(debt, 0, out=debt)
        if day in report:
            kept[day] = np.sort(debt)
    elapsed = time.perf_counter() - start
    for day in sorted(kept):
        values = kept[day]
        print(
            f"day {day}: mean {values.mean():.4f} p5 {quantile(values, 0.05)} "
            f"p50 {quantile(values, 0.5)} p95 {quantile(values, 0.95)}"
        )
    print(f"seconds {elapsed:.3f}")


if __name__ == "__main__":
    main()
