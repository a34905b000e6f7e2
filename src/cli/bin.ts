/**
 * The executable entry point (bundled as dist-cli/convtopo.js): wires runCli to the real process — stdout, stderr,
 * the exit code — and turns a failing output channel into one line and a non-zero exit, never a stack trace or a
 * result silently lost.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { OUTPUT_EXIT, runCli } from './main';

/**
 * Node replaces a closed stdout (`>&-`) with /dev/null opened read-write before any script runs, so writes would
 * vanish with exit 0. A shell's `>/dev/null` opens it write-only, which tells the two apart (Linux /proc; elsewhere
 * this cannot be told and is not checked). Python's subprocess.DEVNULL and Node's stdio 'ignore' also open it
 * read-write and look the same: main.ts therefore refuses only commands whose result would go to stdout.
 */
function stdoutWasClosed(): boolean {
  try {
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const flags = /flags:\s*([0-7]+)/.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & 3) === 2;
  } catch {
    return false;
  }
}

const SYSTEM_WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EBADF: 'it is closed',
  EIO: 'input/output error',
  EACCES: 'permission denied',
};

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // A reader that stops early (`| head`) closes the pipe: the rest of the output is simply not wanted.
  if (err.code === 'EPIPE') process.exit(0);
  const why = (err.code && SYSTEM_WORDS[err.code]) ?? err.code ?? err.message;
  process.stderr.write(`convtopo: cannot write to standard output: ${why}${err.code && SYSTEM_WORDS[err.code] ? ` (${err.code})` : ''}\n`);
  process.exit(OUTPUT_EXIT);
});

runCli(process.argv.slice(2), {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  stdin: () => readFileSync(0),
  stdoutClosed: stdoutWasClosed(),
}).then((code) => {
  process.exitCode = code;
});
