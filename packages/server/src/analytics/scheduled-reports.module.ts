import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { FlowsModule } from '../flows/flows.module';
import { AnalyticsModule } from './analytics.module';
import { ReportRunsRepository } from './report-runs.repository';
import { ScheduledReports } from './scheduled-reports';
import { ScheduledReportsController } from './scheduled-reports.controller';

/**
 * Reports sent on a schedule through a connector. Apart from AnalyticsModule so that analytics
 * (read by the designer and the CLI) needs no credentials or background loop.
 */
@Module({
  imports: [AnalyticsModule, FlowsModule, CredentialsModule],
  controllers: [ScheduledReportsController],
  providers: [ReportRunsRepository, ScheduledReports],
  exports: [ScheduledReports],
})
export class ScheduledReportsModule {}
