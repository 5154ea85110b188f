// PLACEHOLDER — replaced by the interpreter work (planMigration).
import type { Problem } from '../result';

export interface MigrationPlan {
  moves: { from: string; to: string }[];
  problems: Problem[];
}
export function planMigration(_from: unknown, _to: unknown): MigrationPlan {
  return { moves: [], problems: [] };
}
