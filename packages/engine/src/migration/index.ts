export { planMigration } from './plan-migration';
export type { MigrationPlan, MigrationOptions, StateMove } from './plan-migration';
