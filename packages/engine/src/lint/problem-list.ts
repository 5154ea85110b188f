import type { Problem } from '../result';

/** Collects problems; `at` builds JSON pointers from segments. */
export class ProblemList {
  readonly items: Problem[] = [];
  private readonly seen = new Set<string>();

  error(path: string, code: string, message: string): void {
    this.add({ path, code, message, severity: 'error' });
  }

  warning(path: string, code: string, message: string): void {
    this.add({ path, code, message, severity: 'warning' });
  }

  add(problem: Problem): void {
    const id = `${problem.path}|${problem.code}|${problem.message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.items.push(problem);
  }
}

/** A JSON pointer from segments (RFC 6901 escaping). */
export function at(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
