// The import boundaries of docs/architecture.md are enforced by eslint.config.js: a core file that imports React,
// TensorFlow.js or the page's code must fail the lint. Each case lints a new file's text under a path in the tree
// (the project config matches by path) with ESLint's Node API; nothing is written to disk.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function lint(relPath: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath: join(root, relPath) });
  return result.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
}

const tag = `${process.pid}-${Date.now()}`;

describe('import boundaries', () => {
  it('a file under src/tda that imports react fails with the boundary message', async () => {
    const msgs = await lint(`src/tda/__lint_probe_${tag}.ts`, "import { useState } from 'react';\nexport const probe = useState;\n");
    expect(msgs.map((m) => m.rule)).toEqual(['no-restricted-imports']);
    expect(msgs[0].message).toMatch(/src\/tda is pure core/);
  });

  it('a file under src/mapper that imports tfjs, comlink or onnxruntime-web fails once per import', async () => {
    const msgs = await lint(
      `src/mapper/__lint_probe_${tag}.ts`,
      "import * as tf from '@tensorflow/tfjs';\nimport * as Comlink from 'comlink';\nimport * as ort from 'onnxruntime-web';\nexport const probe = [tf, Comlink, ort];\n",
    );
    expect(msgs.map((m) => m.rule)).toEqual(['no-restricted-imports', 'no-restricted-imports', 'no-restricted-imports']);
  });

  it('core folders may not reach the page, the model stage or the workers', async () => {
    const msgs = await lint(
      `src/analysis/__lint_probe_${tag}.ts`,
      "import { jobs } from '../state/jobs';\nimport type { ModelCard } from '../model/loadModel';\nimport type { CompareApi } from '../../workers/compare.worker';\nexport type Probe = [typeof jobs, ModelCard, CompareApi];\n",
    );
    expect(msgs.map((m) => m.rule)).toEqual(['no-restricted-imports', 'no-restricted-imports', 'no-restricted-imports']);
  });

  it('the page takes no types from worker files', async () => {
    const msgs = await lint(`src/ui/__lint_probe_${tag}.ts`, "import type { TdaApi } from '../../workers/tda.worker';\nexport type Probe = TdaApi;\n");
    expect(msgs.map((m) => m.rule)).toEqual(['no-restricted-imports']);
  });

  it('the same imports are fine where they belong (src/ui importing react, src/tda importing its own types)', async () => {
    expect(await lint(`src/ui/__lint_probe_${tag}.ts`, "import { useState } from 'react';\nexport const probe = useState;\n")).toEqual([]);
    expect(await lint(`src/tda/__lint_probe_${tag}.ts`, "import type { Diagram } from '../types';\nexport type Probe = Diagram;\n")).toEqual([]);
  });
});
