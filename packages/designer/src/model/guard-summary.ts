const INFIX: Record<string, string> = {
  '==': '=',
  '===': '=',
  '!=': '≠',
  '!==': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  in: 'in',
};

function operand(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const [op] = Object.keys(value);
    const args = (value as Record<string, unknown>)[op];
    if (op === 'var') return String(Array.isArray(args) ? args[0] : args);
    return summarizeGuard(value);
  }
  return JSON.stringify(value);
}

/** A short readable form of a json-logic guard: `finance.approved = true and total > 1000`. */
export function summarizeGuard(logic: unknown): string {
  if (!logic || typeof logic !== 'object' || Array.isArray(logic)) return JSON.stringify(logic);
  const [op] = Object.keys(logic);
  const raw = (logic as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  if (op in INFIX) return `${operand(args[0])} ${INFIX[op]} ${operand(args[1])}`;
  if (op === 'and' || op === 'or') return args.map((a) => summarizeGuard(a)).join(` ${op} `);
  if (op === '!') return `not ${operand(args[0])}`;
  if (op === '!!' || op === 'var') return operand(op === 'var' ? logic : args[0]);
  if (op === 'all' || op === 'some' || op === 'none')
    return `${op} of ${operand(args[0])}: ${summarizeGuard(args[1])}`;
  return `${op}(${args.map(operand).join(', ')})`;
}
