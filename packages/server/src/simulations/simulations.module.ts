import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { SimulationJobs } from './simulation-jobs';
import { SimulationRequests } from './simulation-request';
import { SimulationsController } from './simulations.controller';

/** `POST /api/flows/:key/simulations`: the simulator as background jobs of the server. */
@Module({
  imports: [FlowsModule],
  controllers: [SimulationsController],
  providers: [SimulationJobs, SimulationRequests],
})
export class SimulationsModule {}
