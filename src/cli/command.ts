import type { OptionSpecs, ParsedOptions } from './args';

/** One `convtopo` sub-command. `run` prints its result on stdout and returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  options: OptionSpecs;
  run(opts: ParsedOptions, io: CommandIO): Promise<number>;
}

export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input, for a file option given as `-` (default: the process's fd 0). */
  stdin?: () => Uint8Array;
  /** Standard output is closed (bin.ts finds out): a command whose result goes there must not run. */
  stdoutClosed?: boolean;
}
