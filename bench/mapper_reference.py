"""Reference Mapper pipeline (numpy + scikit-learn), the recipe convtopo follows, for `npm run bench -- mapper` and
the Mapper oracle test (tests/mapper/mapperOracle.test.ts).

usage: /usr/bin/python3 bench/mapper_reference.py CLOUD.npy EPS|knee [N_INTERVALS OVERLAP MIN_SAMPLES]
           [--algorithm auto|ball_tree|kd_tree|brute] [--nodes FILE.json] [--no-knee]

Timed (wall clock, after loading the .npy): the l2norm lens, the knee of the sorted min_samples-distance curve
(sklearn NearestNeighbors.kneighbors on the whole cloud, as convtopo computes it), KeplerMapper's CubicalCover,
sklearn.cluster.DBSCAN in every cover set, and the nerve (edges between nodes sharing a point). DBSCAN uses the
EPS given (convtopo's, so both do the same clustering work), or with `knee` its own knee eps.

KeplerMapper (kmapper 2.x) is not packaged for Debian, so its semantics are reimplemented here:
- CubicalCover(n_cubes, perc_overlap).fit: bounds = (min, max) of the lens, inner_range = ((n - 1) / n) * range,
  inset = (range - inner_range) / 2, radius = range / (2 n (1 - p)), centres = linspace(min + inset, max - inset, n);
  transform_single keeps the rows with centre - radius <= lens <= centre + radius; empty cubes are dropped.
- KeplerMapper.map: a cube with fewer rows than the clusterer's min_samples is skipped; each other cube is clustered
  and every label except -1 becomes node "cube{i}_cluster{label}", i counting the non-empty cubes.
- GraphNerve(min_intersection=1): a link between two nodes that share a member.

--algorithm (default auto, sklearn's own choice) is passed to NearestNeighbors and DBSCAN: 'ball_tree' sums
distances in coordinate order, which decides a pair at exactly eps (the knee eps is such a pair's distance) the
same way on every machine; brute force rounds it through BLAS. --nodes writes every node (cube index among the
centres, KeplerMapper id, cluster label, members) and every link to FILE.json, after the timing. --no-knee skips
the knee kNN (with a given EPS: memberships only; own_eps is then null).
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


def cubical_cover(lens, n_cubes, perc_overlap):
    """KeplerMapper's CubicalCover on a 1-D lens: the centres and each non-empty cube's (centre index, rows)."""
    lo, hi = lens.min(), lens.max()
    ranges = hi - lo
    inner_range = ((n_cubes - 1) / n_cubes) * ranges
    inset = (ranges - inner_range) / 2
    radius = ranges / (2 * n_cubes * (1 - perc_overlap))
    centers = np.linspace(lo + inset, hi - inset, num=n_cubes)
    cubes = []
    for i, c in enumerate(centers):
        idx = np.where((lens >= c - radius) & (lens <= c + radius))[0]
        if len(idx):
            cubes.append((i, idx))
    return centers, cubes


def main():
    args = sys.argv[1:]
    algorithm, nodes_file = 'auto', None
    if '--algorithm' in args:
        k = args.index('--algorithm')
        algorithm = args[k + 1]
        del args[k:k + 2]
    if '--nodes' in args:
        k = args.index('--nodes')
        nodes_file = args[k + 1]
        del args[k:k + 2]
    no_knee = '--no-knee' in args
    if no_knee:
        args.remove('--no-knee')
    path, eps_arg = args[0], args[1]
    n_cubes = int(args[2]) if len(args) > 2 else 40
    overlap = float(args[3]) if len(args) > 3 else 0.4
    min_samples = int(args[4]) if len(args) > 4 else 5
    X = np.load(path).astype(np.float64)

    t0 = time.perf_counter()
    lens = np.linalg.norm(X, axis=1)

    own_eps = None
    if not no_knee:
        dist, _ = NearestNeighbors(n_neighbors=min_samples, algorithm=algorithm).fit(X).kneighbors(X)
        own_eps = float(knee(np.sort(dist[:, min_samples - 1])))
    t_knee = time.perf_counter() - t0
    eps = own_eps if eps_arg == 'knee' else float(eps_arg)

    _, cubes = cubical_cover(lens, n_cubes, overlap)
    nodes = []  # (centre index, KeplerMapper id, label, members)
    for t, (i, idx) in enumerate(cubes):
        if len(idx) < min_samples:
            continue
        labels = DBSCAN(eps=eps, min_samples=min_samples, algorithm=algorithm).fit(X[idx]).labels_
        for lab in np.unique(labels):
            if lab != -1:
                nodes.append((i, f'cube{t}_cluster{lab}', int(lab), idx[labels == lab]))

    point_nodes = {}
    for t, node in enumerate(nodes):
        for i in node[3].tolist():
            point_nodes.setdefault(i, []).append(t)
    edges = set()
    for ts in point_nodes.values():
        for a in range(len(ts)):
            for b in range(a + 1, len(ts)):
                edges.add((ts[a], ts[b]))
    seconds = time.perf_counter() - t0
    if nodes_file:
        with open(nodes_file, 'w') as f:
            json.dump({
                'eps': eps,
                'nodes': [{'cube': i, 'id': name, 'cluster': lab, 'members': m.tolist()} for i, name, lab, m in nodes],
                'links': sorted([a, b] for a, b in edges),
            }, f)
    print(json.dumps({"nodes": len(nodes), "edges": len(edges), "seconds": seconds,
                      "knee_seconds": t_knee, "own_eps": own_eps, "eps": eps}))


if __name__ == "__main__":
    main()
