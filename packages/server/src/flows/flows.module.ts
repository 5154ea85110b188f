import { Module } from '@nestjs/common';
import { DataSetsModule } from '../datasets/data-sets.module';
import { FlowCalendarCheck } from './flow-calendar-check';
import { FlowCache } from './flow-cache';
import { FlowsController } from './flows.controller';
import { FlowsRepository } from './flows.repository';
import { FlowsService } from './flows.service';

@Module({
  imports: [DataSetsModule],
  controllers: [FlowsController],
  providers: [FlowsRepository, FlowsService, FlowCache, FlowCalendarCheck],
  exports: [FlowsRepository, FlowsService, FlowCache],
})
export class FlowsModule {}
