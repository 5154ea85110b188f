import type { Flow } from '../flow';
import { validateFlow } from '../lint';
import type { Problem } from '../result';
import { compileModel } from './compiled-model';
import { orderDataSchema } from './data-schema';
import { compileDataValidator } from './data-validator';
import { type CompiledFlow, FlowInterpreter } from './flow-interpreter';

/** Thrown by `compileFlow` for a document with error-severity problems; carries them all. */
export class FlowValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      `Invalid flow: ${errors
        .slice(0, 3)
        .map((p) => `${p.path || '/'}: ${p.message}`)
        .join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`,
    );
    this.name = 'FlowValidationError';
  }
}

/**
 * Validates a flow document and compiles it: every guard, rule and action expression once,
 * transitions indexed by state and event, a validator for the order data. Throws
 * `FlowValidationError` when the document has errors (warnings do not stop it).
 */
export function compileFlow(doc: unknown): CompiledFlow {
  const { problems } = validateFlow(doc);
  if (problems.some((p) => p.severity === 'error')) throw new FlowValidationError(problems);
  const flow = doc as Flow;
  return new FlowInterpreter(
    flow,
    orderDataSchema(flow.fields),
    compileModel(flow),
    compileDataValidator(flow.fields),
  );
}
