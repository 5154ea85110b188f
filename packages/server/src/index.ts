/** @ordo/server — the Ordo server as a library: the CLI, tests and benchmarks build on it. */
export { createApp } from './app.factory';
export type { OrdoApp, CreateAppOptions } from './app.factory';
export { loadConfig, ConfigError } from './config/ordo-config';
export type { OrdoConfig, DatabaseConfig } from './config/ordo-config';
export { createDataSource, openDatabase } from './database/data-source';
export type { Db, SqlExecutor } from './database/db';
export { OrdersService } from './orders/orders.service';
export { FlowsService } from './flows/flows.service';
export { AuthService } from './auth/auth.service';
export { DomainEvents } from './events/domain-events';
export { RuntimeClock } from './runtime/runtime-clock';
export { IntakeService } from './intake/intake.service';
export { readCsvTable } from './intake/table-file';
export { MailIntakeService } from './intake/mail-intake.service';
export { SmtpReceiver } from './intake/smtp-receiver';
export { tableToRows } from './intake/table-rows';
export { JourneyRollup } from './analytics/journey-rollup';
