import type { ViewState } from '../state/viewState';
import type { ImageDataset, ModelSummary } from '../types';
import type { TdaJobResult } from '../tda/jobs';
import type { PersistencePlan } from '../state/persistencePlan';
import type { CloudSet, Keyed, LoadedDataset } from './data';
import type { Notice } from './Notices';

/**
 * What every view receives: the state, a way to change it, and the data computed so far. Every result here is
 * for the current inputs (or absent while it computes); `pending` says in words what is being computed.
 */
export interface ViewProps {
  view: ViewState;
  update: (change: (v: ViewState) => void) => void;
  /** The dataset as loaded (the whole of it) and its fingerprint. */
  source: LoadedDataset | undefined;
  /** The analysed images (the dataset or its N-image subset). */
  dataset: ImageDataset | undefined;
  /** Index of each analysed image in the full dataset. */
  sourceIndices: Int32Array | undefined;
  model: ModelSummary | undefined;
  /** Every layer's cloud, computed from exactly the current dataset, model and cloud parameters. */
  clouds: CloudSet | undefined;
  /** The clouds' key for the current inputs (null while the dataset or model loads). */
  cloudsKey: string | null;
  /** Persistence of every layer (once all are computed), with its key. */
  all: Keyed<TdaJobResult[]> | undefined;
  /** How persistence runs for these clouds: exactly, on landmarks, or waiting for the user's choice. */
  plan: PersistencePlan | undefined;
  /** The current inputs in words ("resnet18q-init on fashion-mnist-1000, top-L2, 200 images, seed 3"). */
  inputsLabel: string;
  addNotice: (n: Notice) => void;
}
