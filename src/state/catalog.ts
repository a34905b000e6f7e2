/** What ships with the app: bundled datasets and models (under public/), with the names the page shows. */

export interface CatalogEntry {
  id: string;
  label: string;
}

export const BUNDLED_DATASETS: CatalogEntry[] = [
  { id: 'fashion-mnist-1000', label: 'Fashion-MNIST, 1000 test images' },
  { id: 'fashion-mnist-10000', label: 'Fashion-MNIST, all 10 000 test images' },
];

export const BUNDLED_MODELS: CatalogEntry[] = [
  { id: 'resnet18q-final', label: 'ResNet-18 ¼ width, trained' },
  { id: 'resnet18q-epoch1', label: 'ResNet-18 ¼ width, after 1 epoch' },
  { id: 'resnet18q-init', label: 'ResNet-18 ¼ width, initial weights' },
  // Other training runs of the same recipe (tools/train_resnet.py, SEED=N), for the cross-seed comparison.
  { id: 'resnet18q-seed2', label: 'ResNet-18 ¼ width, trained, seed 2' },
  { id: 'resnet18q-seed3', label: 'ResNet-18 ¼ width, trained, seed 3' },
  { id: 'resnet18q-seed4', label: 'ResNet-18 ¼ width, trained, seed 4' },
  { id: 'resnet18q-seed5', label: 'ResNet-18 ¼ width, trained, seed 5' },
];

/** Absolute URL of a file the app ships (works under any base path). */
export function assetUrl(path: string): string {
  return new URL(path, new URL(import.meta.env.BASE_URL, document.baseURI)).href;
}

export function isBundledDataset(id: string): boolean {
  return BUNDLED_DATASETS.some((d) => d.id === id);
}

export function isBundledModel(id: string): boolean {
  return BUNDLED_MODELS.some((m) => m.id === id);
}
