#!/usr/bin/env -S npx tsx
/**
 * The `convtopo` command-line tool: parses arguments and prints; the work happens in src/.
 * Exit codes: 0 success, 1 a failure while running, 2 bad usage or bad input (one line on stderr).
 */
import { commands } from './commands/index';
import { helpText, InputError, parseOptions, UsageError } from './args';
import type { CommandIO } from './command';

export const USAGE_EXIT = 2;

export function mainHelp(): string {
  const lines = [
    'convtopo — persistent homology and Mapper of CNN activations',
    '',
    'Usage: convtopo <command> [options]      (npm run --silent cli -- <command> [options])',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`),
    '',
    'Run "convtopo <command> --help" for a command\'s options.',
  ];
  return lines.join('\n');
}

/** Run the CLI on `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp() + '\n');
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`convtopo: unknown command "${name}" (run convtopo --help for the list)\n`);
    return USAGE_EXIT;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(helpText(command.name, command.summary, command.options) + '\n');
    return 0;
  }
  try {
    const opts = parseOptions(rest, command.options, command.name);
    return await command.run(opts, io);
  } catch (err) {
    // Bad input and bad usage both end in one line on stderr, never a stack trace.
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`convtopo ${command.name}: ${message.split('\n')[0].replace(new RegExp(`^${command.name}: `), '')}\n`);
    return err instanceof UsageError || isInputError(err) ? USAGE_EXIT : 1;
  }
}

/** Errors raised while reading the user's input count as usage errors (exit 2). */
function isInputError(err: unknown): boolean {
  return err instanceof InputError || (err instanceof Error && (err as { code?: string }).code === 'ENOENT');
}

const isMain = process.argv[1] !== undefined && /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1]);
if (isMain) {
  // A reader that stops early (`| head`) closes the pipe: that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
