/**
 * One convtopo Mapper run in a fresh process, for `npm run bench -- mapper` (the Python reference runs the same
 * way): usage `node --import tsx bench/mapper_run.ts CLOUD.npy [NODES.json]`. Timed after loading the .npy, as the
 * reference is. Prints one JSON line: {seconds, nodes, edges, eps}; with NODES.json also writes every node
 * (interval, cluster, members) and edge there, after the timing (bench/mapper_compare.ts reads it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseNpyMatrix } from '../src/io/pointCloudFile';
import { buildMapperInThreads } from '../src/mapper/nodeThreads';

const cloud = parseNpyMatrix(readFileSync(process.argv[2]));
const t0 = performance.now();
const graph = await buildMapperInThreads(cloud, {}, { yieldEveryMs: 1e9 });
const seconds = (performance.now() - t0) / 1000;
if (process.argv[3]) {
  writeFileSync(process.argv[3], JSON.stringify({
    nodes: graph.nodes.map((nd) => ({ interval: nd.interval, cluster: nd.cluster, members: Array.from(nd.members) })),
    edges: graph.edges.map((e) => ({ source: e.source, target: e.target })),
  }));
}
console.log(JSON.stringify({ seconds, nodes: graph.nodes.length, edges: graph.edges.length, eps: graph.eps }));
