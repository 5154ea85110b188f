import { validateFlow, type Problem } from '@ordo/engine';
import { CliError, type CliIo, readTextFile } from '../cli-io';
import { JsonSyntaxError, parseJsonSource, type JsonSource } from '../json-source';

/** Reads and parses a flow file; a missing file or bad JSON is a CliError naming file and line. */
export async function readFlowFile(file: string): Promise<JsonSource> {
  const text = await readTextFile(file);
  try {
    return parseJsonSource(text, file);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new CliError(error.message);
    throw error;
  }
}

/** Formats problems as `file:line:col: severity code at /pointer: message`, one per line. */
export function formatProblems(file: string, source: JsonSource, problems: Problem[]): string[] {
  return problems.map((p) => {
    const { line, column } = source.positionOf(p.path);
    return `${file}:${line}:${column}: ${p.severity} ${p.code} at ${p.path || '/'}: ${p.message}`;
  });
}

/**
 * `ordo validate <flow.json>`: prints every problem with its JSON pointer and file:line:col;
 * exits 1 when the flow has errors (warnings alone pass).
 */
export async function validateCommand(file: string, io: CliIo): Promise<number> {
  const source = await readFlowFile(file);
  const { ok, problems } = validateFlow(source.value);
  for (const line of formatProblems(file, source, problems)) (ok ? io.out : io.err)(line);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  io.out(`${file}: ${ok ? 'valid' : 'invalid'} (${errors} error(s), ${warnings} warning(s))`);
  return ok ? 0 : 1;
}
