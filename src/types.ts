/** Plain data handed from one stage of the pipeline to the next (docs/architecture.md). */
import type { ModelCard } from './model/loadModel';

/** n points in R^d, row-major. */
export interface PointCloud {
  data: Float32Array;
  n: number;
  d: number;
}

/** One bar of a persistence diagram; `death` is `Infinity` for an essential class. */
export interface PersistencePair {
  birth: number;
  death: number;
}

/** A persistence diagram in one homology dimension. */
export type Diagram = PersistencePair[];

/** Labels of the points of a cloud, one class index per point. */
export type Labels = Int32Array;

/**
 * A labelled image dataset, decoded to raw pixels (uint8, row-major n × height × width × channels).
 * Every loader (bundled, folder, zip, CSV, IDX, CIFAR-10) produces this.
 */
export interface ImageDataset {
  /** Stable id: 'fashion-mnist-1000' for bundled sets, 'user:<fingerprint>' for dropped ones. */
  id: string;
  name: string;
  n: number;
  height: number;
  width: number;
  channels: 1 | 3;
  pixels: Uint8Array;
  labels: Int32Array;
  classNames: string[];
  /** Files that could not be used, with the reason (shown in the page, never fatal on their own). */
  errors: { file: string; reason: string }[];
  /** What the loader did to the images or noticed about them (alpha composited, nested folders, blank images). */
  notes?: DatasetNote[];
}

/** One line of a dataset's load report; `files` lists the paths it concerns (e.g. files in nested folders). */
export interface DatasetNote {
  kind: 'info' | 'warning';
  text: string;
  files?: string[];
}

/** A layer of a model whose output is 4-D (batch × H × W × C): one candidate point cloud per image. */
export interface LayerInfo {
  /** 1-based position in the layer list (the paper's layer number for the bundled ResNet-18). */
  index: number;
  name: string;
  /** Group shown in the layer strip, e.g. 'stem', 'stage 1'. */
  stage: string;
  /** Output shape without the batch axis: [H, W, C]. */
  shape: [number, number, number];
  /** Which tensor this is, when the model format says (ONNX: "Conv output, before BatchNormalization"). */
  tensor?: string;
}

/** An opened model as the page sees it (what the model worker returns). */
export interface ModelSummary {
  id: string;
  layers: LayerInfo[];
  card: ModelCard | null;
  inputShape: [number | null, number | null, number];
  /** ONNX models: onnxruntime-web's execution provider chosen by the warm-up, and why (the backend panel shows it). */
  onnxBackend?: { chosen: string; chosenLabel?: string; probes: { name: string; works: boolean; reason: string }[] };
  /** ONNX models: the input normalisation in use (sidecar or the form), pixels/255 when absent. */
  normalization?: { mean: number[]; std: number[] };
}

/** One layer's cloud as plain data (a PointCloud plus where each point came from). */
export interface LayerCloudData {
  layer: number;
  data: Float32Array;
  n: number;
  d: number;
  imageIndices: Int32Array;
  positions?: Int32Array;
}
