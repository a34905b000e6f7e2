/** Persistent homology of point clouds and distances between persistence diagrams (pure, typed-array core). */
export {
  computePersistence,
  computePersistenceAsync,
  closeLoop,
  persistenceSteps,
  type PersistenceInput,
  type PersistenceOptions,
  type PersistenceResult,
  type PersistenceProgress,
  type RunHooks,
  type H1Cocycle,
  type H1Loop,
} from './ripser';
export { abortError } from '../abort';
export { METRICS, MAX_POINTS, type Metric, type DistanceMatrix } from './distances';
export { bottleneck, wasserstein, slicedWasserstein, totalPersistence, SW_DIRECTIONS } from './diagramDistance';
export { slicedWassersteinExact, slicedDistance, SLICED_KINDS, type SlicedKind } from './slicedWassersteinExact';
export { greedyLandmarks, landmarkInput, type Landmarks } from './landmarks';
export { packCocycles, unpackCocycle, cocycleCount, cocycleEdges, type PackedCocycles } from './packedCocycles';
export { packDiagram, unpackDiagram, type PackedDiagram } from './packedDiagram';
