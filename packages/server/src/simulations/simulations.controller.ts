import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import {
  SimulatedDashboard,
  SimulationJob,
  SimulationJobList,
} from '../api-docs/schemas/simulation.schemas';
import { Roles } from '../auth/roles.decorator';
import { FlowsService } from '../flows/flows.service';
import { problems } from '../problems/api-problem';
import { SimulationJobs } from './simulation-jobs';
import { SimulationBody, SimulationRequests } from './simulation-request';

/** Simulations of a flow in virtual time, as background jobs (docs/simulation.md). */
@ApiTags('simulations')
@ApiBearerAuth()
@Controller('flows/:key/simulations')
export class SimulationsController {
  constructor(
    private readonly requests: SimulationRequests,
    private readonly jobs: SimulationJobs,
    private readonly flows: FlowsService,
  ) {}

  @Roles('designer')
  @Post()
  @HttpCode(202)
  @Summary(
    'Simulate the draft or a published version in virtual time',
    "Answers at once with the job; progress is sent as `simulation.changed` to the flow's live room. 429 while two run and four wait.",
  )
  @Answers(202, SimulationJob)
  @Problems(404, 422, 429)
  @ApiBody({ schema: apiSchema(SimulationBody) })
  async start(@Param('key') key: string, @Body() body: unknown) {
    const request = await this.requests.resolve(key, body);
    return this.jobs.start(key, request.version, request.days, request.input);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get()
  @Summary("The flow's simulation jobs, newest first (without results)")
  @Answers(200, SimulationJobList)
  @Problems(404)
  async list(@Param('key') key: string) {
    await this.flows.view(key);
    return { items: await this.jobs.list(key) };
  }

  @Roles('viewer', 'operator', 'designer')
  @Get(':id')
  @Summary('A simulation job: status and progress, and its result once done')
  @Answers(200, SimulationJob)
  @Problems(404)
  async get(@Param('key') key: string, @Param('id') id: string) {
    return this.require(key, id);
  }

  @Roles('viewer', 'operator', 'designer')
  @Get(':id/dashboard')
  @Summary(
    "A finished simulation's dashboard",
    'The analytics and the volume series of the simulated window, as `GET /api/flows/:key/analytics` answers them; 409 until the job is done.',
  )
  @Answers(200, SimulatedDashboard)
  @Problems(404, 409)
  async dashboard(@Param('key') key: string, @Param('id') id: string) {
    const job = await this.require(key, id);
    if (job.status !== 'done')
      throw problems.conflict(
        'simulation_not_done',
        `simulation ${id} is ${job.status}: its dashboard comes when it is done`,
        { status: job.status },
      );
    const dashboard = await this.jobs.dashboard(key, id);
    if (!dashboard) throw problems.notFound('Simulation dashboard', id);
    return { job: this.jobs.view(job), ...dashboard };
  }

  @Roles('designer')
  @Delete(':id')
  @Summary('Cancel a queued or running simulation (a finished one is left as it is)')
  @Answers(200, SimulationJob)
  @Problems(404)
  async cancel(@Param('key') key: string, @Param('id') id: string) {
    return this.jobs.cancel(await this.require(key, id));
  }

  private async require(key: string, id: string) {
    const job = await this.jobs.get(key, id);
    if (!job) throw problems.notFound('Simulation', id);
    return job;
  }
}
