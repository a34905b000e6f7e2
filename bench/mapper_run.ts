/**
 * One convtopo Mapper run in a fresh process, for `npm run bench -- mapper` (the Python reference runs the same
 * way): usage `node --import tsx bench/mapper_run.ts CLOUD.npy`. Timed after loading the .npy, as the reference is.
 * Prints one JSON line: {seconds, nodes, edges, eps}.
 */
import { readFileSync } from 'node:fs';
import { parseNpyMatrix } from '../src/io/pointCloudFile';
import { buildMapperInThreads } from '../src/mapper/nodeThreads';

const cloud = parseNpyMatrix(readFileSync(process.argv[2]));
const t0 = performance.now();
const graph = await buildMapperInThreads(cloud, {}, { yieldEveryMs: 1e9 });
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, nodes: graph.nodes.length, edges: graph.edges.length, eps: graph.eps }));
