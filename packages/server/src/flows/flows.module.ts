import { Module } from '@nestjs/common';
import { FlowCache } from './flow-cache';
import { FlowsController } from './flows.controller';
import { FlowsRepository } from './flows.repository';
import { FlowsService } from './flows.service';

@Module({
  controllers: [FlowsController],
  providers: [FlowsRepository, FlowsService, FlowCache],
  exports: [FlowsRepository, FlowsService, FlowCache],
})
export class FlowsModule {}
