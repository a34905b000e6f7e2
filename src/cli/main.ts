/**
 * The `convtopo` command-line tool: parses arguments and prints; the work happens in src/. bin.ts is the executable.
 * Exit codes: 0 success, 1 a failure while running (or the output could not be written), 2 bad usage or bad input
 * (one line on stderr).
 */
import { commands } from './commands/index';
import { helpText, InputError, parseOptions, UsageError } from './args';
import { fileErrorMessage, resetStdin } from './files';
import type { CommandIO } from './command';

export const USAGE_EXIT = 2;
export const OUTPUT_EXIT = 1;

/** The package version, filled in by the bundle build (tsx runs read package.json). */
declare const __CONVTOPO_VERSION__: string | undefined;

export async function version(): Promise<string> {
  if (typeof __CONVTOPO_VERSION__ === 'string') return __CONVTOPO_VERSION__;
  const { readFileSync } = await import('node:fs');
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export function mainHelp(): string {
  const lines = [
    'convtopo — persistent homology and Mapper of CNN activations',
    '',
    'Usage: convtopo <command> [options]      (npm run --silent cli -- <command> [options])',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'Run "convtopo <command> --help" for a command\'s options, "convtopo --version" for the version.',
    'A file option given as - reads standard input.',
  ];
  return lines.join('\n');
}

/** Run the CLI on `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  resetStdin();
  const entry = commands.find((c) => c.name === name);
  if (io.stdoutClosed && (entry?.output ?? 'stdout') === 'stdout') {
    io.stderr(
      'convtopo: standard output is closed (or /dev/null opened read-write, as subprocess.DEVNULL does), so the result would be lost; redirect it with > FILE\n',
    );
    return USAGE_EXIT;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp() + '\n');
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`convtopo ${await version()}\n`);
    return 0;
  }
  if (!entry) {
    io.stderr(`convtopo: unknown command "${name}" (run convtopo --help for the list)\n`);
    return USAGE_EXIT;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(helpText(command.name, command.summary, command.options) + '\n');
    return 0;
  }
  try {
    const opts = parseOptions(rest, command.options, command.name);
    return await command.run(opts, io);
  } catch (err) {
    // Bad input and bad usage both end in one line on stderr, never a stack trace.
    const fileProblem = fileErrorMessage(err);
    const message = fileProblem ?? (err instanceof Error ? err.message : String(err));
    io.stderr(`convtopo ${command.name}: ${message.split('\n')[0].replace(new RegExp(`^${command.name}: `), '')}\n`);
    return err instanceof UsageError || err instanceof InputError || fileProblem !== undefined ? USAGE_EXIT : 1;
  }
}
