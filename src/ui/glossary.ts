/**
 * The words a researcher meets in the explorer, each with a one-line explanation (shown on hover or focus by
 * <Term>, listed in the Paper view). Declared once here; the views refer to them by id.
 */
import { SW_DIRECTIONS } from '../tda/diagramDistance';
export interface GlossaryEntry {
  term: string;
  text: string;
}

export const GLOSSARY = {
  'top-l2': {
    term: 'top-L2 position',
    text: "Each image becomes one point: the layer's channel vector at the spatial position where its L2 norm is largest (the paper's cloud). Each layer picks its own position.",
  },
  'random-position': {
    term: 'random position',
    text: 'Each image becomes the channel vector at one spatial position drawn at random (per image and layer, from the seed): a control for top-L2.',
  },
  gap: { term: 'global average pool', text: "Each image becomes the mean of the layer's channel vectors over all spatial positions." },
  'channel-cloud': { term: 'channel cloud', text: "The points are the layer's channels, not images: each channel's activations over all images and positions." },
  pca: { term: 'flattened + PCA', text: "Each image's whole activation map, flattened and projected on its first principal components." },
  persistence: {
    term: 'persistence',
    text: 'death − birth of a homology class in the Vietoris–Rips filtration: how long (in distance) a component (H0) or loop (H1) survives. Long-lived classes are the robust shape; points near the diagonal are noise.',
  },
  'total-persistence': { term: 'total H1 persistence', text: 'The sum of death − birth over all finite H1 points of a layer: one number for "how much loop structure".' },
  'knee-eps': {
    term: 'knee eps',
    text: "DBSCAN's radius chosen from the data: the knee of the sorted distances from each point to its k-th nearest neighbour (k = min samples), where the curve turns steeply upward (Kneedle).",
  },
  'sw-h1': {
    term: `SW (H1, M = ${SW_DIRECTIONS})`,
    text: `Sliced Wasserstein distance between two H1 persistence diagrams, averaged over M = ${SW_DIRECTIONS} projection directions: 0 when the loops are the same; it grows with the size of the loops, so it depends on scale.`,
  },
  'linear-cka': {
    term: 'linear CKA',
    text: "Centered kernel alignment with a linear kernel: 1 when two layers place the images the same way up to a rotation and a uniform scaling, near 0 when unrelated. It is dominated by each layer's largest-variance directions.",
  },
  'debiased-cka': {
    term: 'debiased CKA',
    text: 'CKA with the unbiased HSIC estimator (Song et al. 2012): removes the upward bias plain CKA has when there are few images for many channels; it can be slightly negative.',
  },
  'low-cka': {
    term: 'low CKA between consecutive layers',
    text: 'Linear CKA of e.g. 0.19 between neighbouring layers need not mean the information changed: with top-L2 each layer takes its vector at its own spatial position, so the two clouds can describe different patches; a ReLU, a residual addition or a stride-2 stage reorders the largest-variance directions CKA is dominated by. Compare with the gap cloud, and with debiased CKA.',
  },
  'sw-vs-cka': {
    term: 'why SW and CKA disagree',
    text: 'SW compares only the H1 diagrams — how many loops and how long they live — not which image is where, and it changes with scale; CKA compares where each image sits, up to rotation and scale, and ignores loops. Two layers can share loops built from different images (small SW, low CKA), or the same geometry at another scale (CKA 1, large SW).',
  },
  'spearman-rho': { term: 'Spearman ρ', text: 'The rank correlation over all layer pairs between SW and 1 − CKA: 1 if both rank the pairs the same, 0 if independently.' },
  'mapper-lens': { term: 'lens', text: 'The function Mapper slices the cloud by: each point gets a value, the range is cut into overlapping intervals, and the points of each interval are clustered into nodes.' },
  l2norm: { term: 'lens l2norm', text: "Each point's Euclidean norm (its activation strength); the paper's lens." },
  'lens-other': {
    term: 'other lenses',
    text: 'sum and mean: of the coordinates; pca1/pca2: the coordinate on the first/second principal component; density: a Gaussian kernel density estimate (Scott bandwidth); eccentricity: the mean distance to all points.',
  },
  intervals: { term: 'intervals and overlap', text: 'The lens range is cut into this many equal intervals, each widened so neighbours share this fraction; clusters in overlapping intervals that share points are joined by an edge.' },
  purity: {
    term: 'purity',
    text: "For each image, the mean over the nodes that contain it of the fraction of that node's members sharing its class; graph purity is the mean over covered images (1: every node is one class).",
  },
  'min-samples': { term: 'min samples', text: 'DBSCAN: a point is a core point if at least this many points (itself included) lie within eps.' },
  'pc-removal': { term: 'PC-removal sensitivity', text: "How much a layer's H1 diagram (SW) and its CKA to itself change as its top principal components are projected out: which directions the shape lives in." },
  rtd: {
    term: 'RTD',
    text: 'Representation Topology Divergence (Barannikov et al. 2022): compares two layers on the same images, image by image. Both distance matrices are divided by their 0.9 quantile; RTD(A, B) is the total length of the H1 bars of the Vietoris–Rips filtration of the 2n-point matrix [[0, r₁ᵀ], [r₁, min(r₁, r₂)]] (the cross-barcode); the value shown is (RTD(A, B) + RTD(B, A)) / 2. 0: the same shape, image by image.',
  },
  'cross-barcode': { term: 'cross-barcode', text: "The H1 bars RTD adds up: loops that appear when B's shorter distances are allowed on top of A's and close again by A's own (the R-Cross-Barcode). Computed both ways." },
} satisfies Record<string, GlossaryEntry>;

export type TermId = keyof typeof GLOSSARY;
