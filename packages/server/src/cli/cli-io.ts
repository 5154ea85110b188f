import { readFile } from 'node:fs/promises';

/** Where a command writes; tests pass buffers, the real CLI passes the process streams. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  interactive: boolean;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  interactive: Boolean(process.stderr.isTTY),
};

/** A user error of the CLI: printed as it is, exit code 1 (or the one given), never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Reads a text file; a missing or unreadable file is a CliError naming it. */
export function readTextFile(file: string): Promise<string> {
  return readFileOrFail(file, 'utf8');
}

/** Reads a file's bytes; a missing or unreadable file is a CliError naming it. */
export function readBytesFile(file: string): Promise<Buffer> {
  return readFileOrFail(file);
}

async function readFileOrFail(file: string): Promise<Buffer>;
async function readFileOrFail(file: string, encoding: 'utf8'): Promise<string>;
async function readFileOrFail(file: string, encoding?: 'utf8'): Promise<string | Buffer> {
  try {
    return await readFile(file, encoding);
  } catch (error) {
    throw new CliError(
      `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}
