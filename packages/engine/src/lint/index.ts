// PLACEHOLDER — replaced by the lint work (JSON Schema check + semantic lint).
import type { Problem } from '../result';

export interface ValidationResult {
  ok: boolean;
  problems: Problem[];
}
export function validateFlow(_doc: unknown): ValidationResult {
  return { ok: true, problems: [] };
}
