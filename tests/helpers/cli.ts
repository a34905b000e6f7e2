/** The CLI run in this process (src/cli/main.ts's runCli), its output captured; and a scratch folder for its files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main';

export async function runCliCaptured(argv: string[], stdin?: Uint8Array | string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
  const bytes = typeof stdin === 'string' ? new TextEncoder().encode(stdin) : stdin;
  const code = await runCli(argv, bytes === undefined ? io : { ...io, stdin: () => bytes });
  return { code, stdout, stderr };
}

/** A fresh folder under the system's temporary one, and `file(name, content)` that writes there and returns the path. */
export function scratchDir(prefix: string): { dir: string; file: (name: string, content: string | Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, content) => {
      const f = join(dir, name);
      writeFileSync(f, content);
      return f;
    },
  };
}
