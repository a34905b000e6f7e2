/**
 * Finding the external oracles (Debian's ripser, hera, /usr/bin/python3 with gudhi/sklearn, chromium).
 * Locally a missing oracle skips the test with a message saying what to install; with CI=true it is a failure,
 * so nothing skips silently in CI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export interface Oracle {
  available: boolean;
  /** Why it is missing and what to install. */
  reason: string;
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function check(ok: boolean, what: string, aptPackage: string): Oracle {
  const reason = ok ? '' : `${what} is missing: install it with "apt-get install ${aptPackage}"`;
  if (!ok && IN_CI) throw new Error(`oracle missing in CI: ${reason}`);
  if (!ok) console.warn(`SKIP: ${reason}`);
  return { available: ok, reason };
}

export function ripserOracle(): Oracle {
  return check(onPath('ripser'), 'Debian ripser', 'ripser');
}

export function heraOracle(): Oracle {
  return check(onPath('hera-bottleneck') && onPath('hera-wasserstein'), 'hera-bottleneck/hera-wasserstein', 'hera-utils');
}

/** /usr/bin/python3 with the given modules importable. */
export function pythonOracle(modules: string[], aptPackages: string): Oracle {
  let ok = existsSync('/usr/bin/python3');
  if (ok) {
    const r = spawnSync('/usr/bin/python3', ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
    ok = r.status === 0;
  }
  return check(ok, `/usr/bin/python3 with ${modules.join(', ')}`, aptPackages);
}

/** Run /usr/bin/python3 with a script on stdin and JSON in, returning parsed JSON from stdout. */
export function runPython<T = unknown>(script: string, input: unknown): T {
  const out = execFileSync('/usr/bin/python3', ['-c', script], {
    input: JSON.stringify(input),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  return JSON.parse(out) as T;
}
