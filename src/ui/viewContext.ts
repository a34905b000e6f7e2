import type { ViewState } from '../state/viewState';
import type { ImageDataset, LayerCloudData, ModelSummary } from '../types';
import type { PersistenceResult } from '../tda/index';
import type { Notice } from './Notices';

/** What every view receives: the state, a way to change it, and the data computed so far. */
export interface ViewProps {
  view: ViewState;
  update: (change: (v: ViewState) => void) => void;
  /** The analysed images (the dataset or its N-image subset). */
  dataset: ImageDataset | undefined;
  /** Index of each analysed image in the full dataset. */
  sourceIndices: Int32Array | undefined;
  model: ModelSummary | undefined;
  clouds: LayerCloudData[] | undefined;
  cloudsKey: string | null;
  /** Persistence of every layer (once all are computed). */
  all: PersistenceResult[] | undefined;
  addNotice: (n: Notice) => void;
}
