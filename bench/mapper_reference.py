"""Reference Mapper pipeline for `npm run bench -- mapper`: numpy + scikit-learn, the same recipe as convtopo's.

usage: /usr/bin/python3 bench/mapper_reference.py CLOUD.npy EPS [N_INTERVALS OVERLAP MIN_SAMPLES]

Timed (wall clock, after loading the .npy): the l2norm lens, the knee of the sorted min_samples-distance curve
(sklearn NearestNeighbors.kneighbors on the whole cloud, as convtopo computes it), KeplerMapper's CubicalCover
(equally spaced centres, half-width range / (2 n (1 - overlap))), sklearn.cluster.DBSCAN with default settings in
every interval using the eps GIVEN on the command line (convtopo's, so both do the same clustering work), and the
nerve (edges between nodes sharing a point). Prints one JSON line.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import DBSCAN
from sklearn.neighbors import NearestNeighbors


def knee(sorted_y):
    n = len(sorted_y)
    span = sorted_y[-1] - sorted_y[0]
    if n < 3 or span <= 0:
        return sorted_y[0]
    diff = np.arange(n) / (n - 1) - (sorted_y - sorted_y[0]) / span
    return sorted_y[int(np.argmax(diff))]


def main():
    path, eps = sys.argv[1], float(sys.argv[2])
    n_cubes = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    overlap = float(sys.argv[4]) if len(sys.argv) > 4 else 0.4
    min_samples = int(sys.argv[5]) if len(sys.argv) > 5 else 5
    X = np.load(path)

    t0 = time.perf_counter()
    lens = np.linalg.norm(X.astype(np.float64), axis=1)

    dist, _ = NearestNeighbors(n_neighbors=min_samples).fit(X).kneighbors(X)
    own_eps = float(knee(np.sort(dist[:, min_samples - 1])))
    t_knee = time.perf_counter() - t0

    lo, hi = lens.min(), lens.max()
    rng = hi - lo
    radius = rng / (2 * n_cubes * (1 - overlap))
    inset = rng / (2 * n_cubes)
    centers = np.linspace(lo + inset, hi - inset, n_cubes)

    nodes = []
    for c in centers:
        idx = np.where((lens >= c - radius) & (lens <= c + radius))[0]
        if len(idx) < min_samples:
            continue
        labels = DBSCAN(eps=eps, min_samples=min_samples).fit(X[idx]).labels_
        for lab in np.unique(labels):
            if lab != -1:
                nodes.append(idx[labels == lab])

    point_nodes = {}
    for t, members in enumerate(nodes):
        for i in members.tolist():
            point_nodes.setdefault(i, []).append(t)
    edges = set()
    for ts in point_nodes.values():
        for a in range(len(ts)):
            for b in range(a + 1, len(ts)):
                edges.add((ts[a], ts[b]))
    seconds = time.perf_counter() - t0
    print(json.dumps({"nodes": len(nodes), "edges": len(edges), "seconds": seconds,
                      "knee_seconds": t_knee, "own_eps": own_eps}))


if __name__ == "__main__":
    main()
