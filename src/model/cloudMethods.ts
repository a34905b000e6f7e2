/**
 * The cloud methods, declared once (method.md §2): how a layer's H×W×C activations of n images become a point cloud.
 * Plain data with no runtime behind it, so the URL state, the page's panel and the CLI read it without loading tfjs;
 * the reducers live in pointClouds.ts (tfjs) and onnx/clouds.ts (ONNX), whose `switch (method.kind)` the compiler
 * checks against these ids.
 */
export const CLOUD_METHODS = [
  { id: 'top-l2', label: 'top-L2 position (paper)', term: 'top-l2', spelling: 'top-l2', points: 'images' },
  { id: 'random', label: 'random position', term: 'random-position', spelling: 'random', points: 'images' },
  { id: 'gap', label: 'global average pool', term: 'gap', spelling: 'gap', points: 'images' },
  { id: 'channel', label: 'channel cloud', term: 'channel-cloud', spelling: 'channel', points: 'channels' },
  { id: 'pca', label: 'flattened + PCA', term: 'pca', spelling: 'pca:D', points: 'images' },
] as const satisfies readonly {
  id: string;
  /** The page's words for it. */
  label: string;
  /** Its glossary entry (src/ui/glossary.ts). */
  term: string;
  /** How the CLI and parseCloudMethod spell it. */
  spelling: string;
  /** What a point of the cloud is: an image, or (channel cloud) a channel whose coordinates are images. */
  points: 'images' | 'channels';
}[];

export type CloudMethodId = (typeof CLOUD_METHODS)[number]['id'];

export const CLOUD_METHOD_IDS: readonly CloudMethodId[] = CLOUD_METHODS.map((m) => m.id);

export function cloudMethodInfo(id: CloudMethodId): (typeof CLOUD_METHODS)[number] {
  return CLOUD_METHODS.find((m) => m.id === id)!;
}

/** True when the cloud's points are images (so a point has a label and a picture). */
export function pointsAreImages(id: CloudMethodId): boolean {
  return cloudMethodInfo(id).points === 'images';
}
