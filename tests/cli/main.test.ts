import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliCaptured } from '../helpers/cli';
import { commands } from '../../src/cli/commands/index';
import { checkBudget, parseBytes } from '../../src/cli/budget';
import { estimatePersistenceCost } from '../../src/tda/cost';
import { estimateMapperCost } from '../../src/mapper/cost';

const run = runCliCaptured;

describe('convtopo CLI', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: convtopo <command>/);
    expect(r.stderr).toBe('');
  });

  it('an unknown command exits 2 with exactly one line on stderr', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('runs through npm as `npm run --silent cli` with the same exit code', () => {
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['convtopo: unknown command "nope" (run convtopo --help for the list)']);
  });

  it('every registry entry loads a command of the same name and summary', async () => {
    for (const entry of commands) {
      const c = await entry.load();
      expect(c.name).toBe(entry.name);
      expect(c.summary, entry.name).toBe(entry.summary);
    }
  });

  it('--help goes through npm and plain node as users run it, starting TF.js for no command', () => {
    const r = spawnSync('npm', ['run', '--silent', 'cli', '--', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(`  ${c.name.padEnd(12)} ${c.summary}`);
    // What --help loads is the entry's static import closure: no command module, no TF.js or ONNX runtime.
    const dist = join(__dirname, '../../dist-cli');
    const staticClosure = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      const text = readFileSync(join(dist, file), 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"|^\s*import\s*"([^"]+)"/gm)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith('./')) staticClosure(spec.slice(2), seen);
        else seen.add(spec);
      }
      return seen;
    };
    const atStart = [...staticClosure('convtopo.js')];
    expect(atStart.filter((s) => /tensorflow|onnxruntime|^(ph|mapper|activations|evaluate|reproduce)-/.test(s))).toEqual([]);
    // The check can see a heavy import when there is one: the activations command's own closure reaches TF.js.
    const entry = readFileSync(join(dist, 'convtopo.js'), 'utf8');
    const activations = /import\("\.\/(activations-[A-Z0-9]+\.js)"\)/.exec(entry)![1];
    const lazy = [...staticClosure(activations)];
    expect(lazy.some((s) => s.startsWith('@tensorflow/'))).toBe(false); // even it loads TF.js only inside run()
  });
});

describe('cost estimates before long jobs', () => {
  const io = () => {
    const lines: string[] = [];
    return { lines, io: { stdout: () => undefined, stderr: (t: string) => void lines.push(t) } };
  };

  it('announce a job over a minute or a GB in one stderr line, and say nothing for a small one', () => {
    const big = io();
    checkBudget(estimatePersistenceCost({ n: 20000, d: 16, maxdim: 1 }), '20000 points in R^16 up to H1', { 'max-memory': '64G' }, big.io, 'ph');
    expect(big.lines).toHaveLength(1);
    expect(big.lines[0]).toMatch(/^convtopo ph: 20000 points in R\^16 up to H1: about \d+ min and 3\.\d GB \(estimate\)\n$/);
    const small = io();
    checkBudget(estimatePersistenceCost({ n: 1000, d: 64, maxdim: 1 }), 'x', {}, small.io, 'ph');
    expect(small.lines).toEqual([]);
  });

  it('the PH and Mapper models grow the way the measured runs did', () => {
    // 20 000 × 16 ran 7.5 min to 3.2 GB; 2000 × 128 about 1.6 s; the estimates stay within a factor of 2.
    const ph = estimatePersistenceCost({ n: 20000, d: 16, maxdim: 1 });
    expect(ph.seconds).toBeGreaterThan(450 / 2);
    expect(ph.seconds).toBeLessThan(450 * 2);
    expect(ph.bytes / 2 ** 30).toBeGreaterThan(1.6);
    expect(ph.bytes / 2 ** 30).toBeLessThan(6.4);
    const small = estimatePersistenceCost({ n: 2000, d: 128, maxdim: 1 });
    expect(small.seconds).toBeGreaterThan(0.8);
    expect(small.seconds).toBeLessThan(3.2);
    // 1 000 000 × 16 used 1.6 GB; 50 000 × 128 took 1.6 s.
    expect(estimateMapperCost({ n: 1e6, d: 16, nIntervals: 40, overlap: 0.4, twoLenses: false }).bytes / 2 ** 30).toBeGreaterThan(0.8);
    const m = estimateMapperCost({ n: 50000, d: 128, nIntervals: 40, overlap: 0.4, twoLenses: false });
    expect(m.seconds).toBeGreaterThan(0.8);
    expect(m.seconds).toBeLessThan(3.2);
  });

  it('--max-memory reads sizes with units', () => {
    expect(parseBytes('2G', 'max-memory', 'ph')).toBe(2 ** 31);
    expect(parseBytes('500M', 'max-memory', 'ph')).toBe(500 * 2 ** 20);
    expect(parseBytes('1.5GiB', 'max-memory', 'ph')).toBe(1.5 * 2 ** 30);
    expect(parseBytes('4096', 'max-memory', 'ph')).toBe(4096);
    expect(() => parseBytes('-1G', 'max-memory', 'ph')).toThrow(/--max-memory must be a size/);
  });
});

