/** The Mapper engine (method.md §6): pure typed-array code, no DOM, no workers. */
export { computeLens, parseLens, lensLabel, pcaLens, densityLens, eccentricityLens, scottBandwidth, LENS_NAMES } from './lens';
export type { LensSpec, LensName } from './lens';
export { cover, intervals1d, checkCoverParams } from './cover';
export type { Cover, CoverSet, CoverOptions } from './cover';
export { dbscan, checkDbscanParams } from './dbscan';
export type { DbscanOptions } from './dbscan';
export { linkage, checkLinkageParams, MAX_MATRIX_LINKAGE_POINTS } from './linkage';
export type { LinkageOptions, LinkageMethod } from './linkage';
export { kneeEps, kneeOfCurve, kNearest, kDistances, kneeFromDistances } from './knee';
export type { KNearest, Knee } from './knee';
export { metricSpace } from './space';
export type { Metric, MetricSpace } from './space';
export { graphPurity, nerveEdges, components, classHistogram } from './graph';
export type { MapperNode, MapperEdge, Purity } from './graph';
export { buildMapper, toKeplerJson, resolveMapperOptions, MAPPER_DEFAULTS } from './mapper';
export type { MapperOptions, MapperGraph, MapperHooks, MapperProgress, Clusterer } from './mapper';
export { createMapperJobApi } from './jobs';
export type { MapperJobApi } from './jobs';
