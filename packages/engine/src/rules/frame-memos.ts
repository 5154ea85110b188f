/**
 * What one generated frame (the rule function, a loop body, a scoped operator's body) has
 * read once and reuses: each step of a literal `var` path, each data-set row. Code is
 * generated in the order it runs, so the generator knows at each point which reads have
 * certainly happened (reuse the temp as it is), which have not happened on any path (read
 * and keep, no check), and which happened only on some paths (check the temp against `U`,
 * "not read yet", which the frame then sets as it starts). Rules are pure and the data does not
 * change while one runs, so a value read once holds for the whole frame.
 */
export class FrameMemos {
  private readonly temps = new Map<string, string>();
  /** Read on some path generated so far. */
  private readonly assigned = new Set<string>();
  /** Read on every path to the point being generated. */
  private definite = new Set<string>();
  /** Temps some use checks against `U`: set to `U` as the frame starts. */
  readonly checked: string[] = [];

  constructor(private readonly newTemp: () => string) {}

  /** The temp that keeps `what` in this frame. */
  temp(what: unknown): string {
    const id = JSON.stringify(what);
    let t = this.temps.get(id);
    if (!t) this.temps.set(id, (t = this.newTemp()));
    return t;
  }

  /**
   * Source evaluating to `what` (and leaving it in `temp(what)`), where `read` generates the
   * source that reads it.
   */
  use(what: unknown, read: () => string): string {
    const id = JSON.stringify(what);
    const t = this.temp(what);
    if (this.definite.has(id)) return t;
    if (!this.assigned.has(id)) {
      const src = read();
      this.assigned.add(id);
      this.definite.add(id);
      return `(${t} = ${src})`;
    }
    if (!this.checked.includes(t)) this.checked.push(t);
    const src = this.maybe(read);
    this.definite.add(id);
    return `(${t} !== U ? ${t} : (${t} = ${src}))`;
  }

  /** Generates code that may not run: what it reads is not certainly read after it. */
  maybe<T>(generate: () => T): T {
    const saved = new Set(this.definite);
    try {
      return generate();
    } finally {
      this.definite = saved;
    }
  }

  /** Statements run as the frame starts, as `sep`-separated assignments. */
  resets(sep: string): string {
    return this.checked.map((t) => `${t} = U${sep}`).join('');
  }
}
