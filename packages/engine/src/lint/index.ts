/**
 * `validateFlow`: the flow JSON Schema check, then the semantic lint — ids and references,
 * reachability, auto-transition cycles, field definitions, and every variable an expression
 * reads. Each problem has a JSON pointer into the document and says how to fix it.
 */
import type { Flow } from '../flow';
import type { Problem } from '../result';
import { lintCalendar } from './lint-calendar';
import { lintConnectors } from './lint-connectors';
import { lintFields } from './lint-fields';
import { lintIntake } from './lint-intake';
import { lintIntegration } from './lint-integration';
import { lintMeasures } from './lint-measures';
import { lintOwnership } from './lint-ownership';
import { lintStructure } from './lint-structure';
import { lintVariables } from './lint-variables';
import { ProblemList } from './problem-list';
import { checkSchema } from './schema-problems';

/** The verdict on a flow document: `ok` is false when any problem is an error. */
export interface ValidationResult {
  ok: boolean;
  problems: Problem[];
}

const isArray = (doc: Record<string, unknown>, key: string) => Array.isArray(doc[key]);

/** Validates a flow document. Never throws: malformed input gives problems. */
export function validateFlow(doc: unknown): ValidationResult {
  const out = new ProblemList();
  checkSchema(doc, out);
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const d = doc as Record<string, unknown>;
    // Lint what can be linted even when another part breaks the schema, so an editor shows
    // every problem at once; a part too malformed to lint is left to the schema's messages.
    const lints: [boolean, () => void][] = [
      [isArray(d, 'fields'), () => lintFields(d.fields as Flow['fields'], '/fields', out)],
      [isArray(d, 'states') && isArray(d, 'transitions'), () => lintStructure(doc as Flow, out)],
      [
        isArray(d, 'fields') && isArray(d, 'states') && isArray(d, 'transitions'),
        () => lintVariables(doc as Flow, out),
      ],
      [isArray(d, 'states') && isArray(d, 'transitions'), () => lintConnectors(doc as Flow, out)],
      [isArray(d, 'states') && isArray(d, 'transitions'), () => lintIntegration(doc as Flow, out)],
      [isArray(d, 'states') && isArray(d, 'transitions'), () => lintMeasures(doc as Flow, out)],
      [typeof d.intake === 'object', () => lintIntake(doc as Flow, out)],
      [isArray(d, 'fields') && isArray(d, 'transitions'), () => lintOwnership(doc as Flow, out)],
      [isArray(d, 'states') && isArray(d, 'transitions'), () => lintCalendar(doc as Flow, out)],
    ];
    for (const [applies, lint] of lints) {
      if (!applies) continue;
      try {
        lint();
      } catch {
        // A malformed part the schema already reported.
      }
    }
  }
  const problems = out.items;
  return { ok: !problems.some((p) => p.severity === 'error'), problems };
}
