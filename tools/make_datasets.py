#!/usr/bin/python3
"""Build the bundled datasets under public/datasets/ from Debian's Fashion-MNIST test set.

    /usr/bin/python3 tools/make_datasets.py

fashion-mnist-1000:  the first 100 images of each class, in test-set order (so image i of the bundle is test image
                     sourceIndices[i]); stored sorted by test-set index, not grouped by class.
fashion-mnist-10000: the whole test set (the Debian files copied byte for byte).
Each directory: images-idx3-ubyte.gz, labels-idx1-ubyte.gz, dataset.json.
"""
import gzip
import json
import os
import re
import shutil

import numpy as np

SRC = "/usr/share/datasets/fashion-mnist"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "public", "datasets")
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
LICENSE = {
    "name": "MIT",
    "copyright": "Copyright (c) 2017 Zalando SE",
    "source": "https://github.com/zalandoresearch/fashion-mnist (Debian package dataset-fashion-mnist)",
}
CITATION = ("Han Xiao, Kashif Rasul, Roland Vollgraf. Fashion-MNIST: a Novel Image Dataset for Benchmarking "
            "Machine Learning Algorithms. arXiv:1708.07747, 2017.")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def write_idx_gz(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    # mtime=0 and no file name in the gzip header, so rebuilding gives identical bytes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())


def describe(name, n, indices, selection):
    return {
        "id": name,
        "name": "Fashion-MNIST test set, %d images" % n if n == 10000 else "Fashion-MNIST, %d test images" % n,
        "n": n, "height": 28, "width": 28, "channels": 1,
        "images": "images-idx3-ubyte.gz", "labels": "labels-idx1-ubyte.gz",
        "classNames": CLASSES,
        "selection": selection,
        "sourceIndices": indices,
        "license": LICENSE,
        "citation": CITATION,
    }


def dump(meta, path):
    text = json.dumps(meta, indent=1)
    # Keep number lists (sourceIndices) on one line.
    text = re.sub(r"\[\s*([0-9,\s]+?)\s*\]", lambda m: "[" + ",".join(m.group(1).split()).replace(",,", ",") + "]", text)
    with open(path, "w") as f:
        f.write(text + "\n")


def main():
    images = read_idx(os.path.join(SRC, "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(SRC, "t10k-labels-idx1-ubyte.gz"))

    small = os.path.join(OUT, "fashion-mnist-1000")
    os.makedirs(small, exist_ok=True)
    idx = np.sort(np.concatenate([np.nonzero(labels == c)[0][:100] for c in range(10)]))
    write_idx_gz(os.path.join(small, "images-idx3-ubyte.gz"), images[idx])
    write_idx_gz(os.path.join(small, "labels-idx1-ubyte.gz"), labels[idx])
    dump(describe("fashion-mnist-1000", 1000, [int(i) for i in idx],
                  "the first 100 test images of each class, in test-set order; sourceIndices[i] is the "
                  "index of image i in the 10 000-image test set"), os.path.join(small, "dataset.json"))

    full = os.path.join(OUT, "fashion-mnist-10000")
    os.makedirs(full, exist_ok=True)
    shutil.copyfile(os.path.join(SRC, "t10k-images-idx3-ubyte.gz"), os.path.join(full, "images-idx3-ubyte.gz"))
    shutil.copyfile(os.path.join(SRC, "t10k-labels-idx1-ubyte.gz"), os.path.join(full, "labels-idx1-ubyte.gz"))
    meta = describe("fashion-mnist-10000", 10000, None, "the whole Fashion-MNIST test set, in its order")
    del meta["sourceIndices"]
    dump(meta, os.path.join(full, "dataset.json"))
    print("class counts (1000):", np.bincount(labels[idx]).tolist(), "last source index:", int(idx[-1]))


if __name__ == "__main__":
    main()
