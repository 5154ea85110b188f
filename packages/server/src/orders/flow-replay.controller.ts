import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { FlowReplay } from '../api-docs/schemas/flow.schemas';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { Answers, apiSchema, Problems, Summary } from '../openapi';
import { validateBody } from '../problems/validate-body';
import { FlowReplayService } from './flow-replay.service';
import { ReplayBody } from './orders.schemas';

@ApiTags('flows')
@ApiBearerAuth()
@Controller('flows')
export class FlowReplayController {
  constructor(private readonly replays: FlowReplayService) {}

  /** Replays the most recent orders on the draft (or a version); reports those that would differ. */
  @Roles('designer')
  @Post(':key/replay')
  @HttpCode(200)
  @Summary('Replay recent orders on the draft or a version', 'Reports those that would differ.')
  @Answers(200, FlowReplay)
  @Problems(404, 422)
  @ApiBody({ schema: apiSchema(ReplayBody) })
  replay(@Param('key') key: string, @Body() body: unknown) {
    return this.replays.replay(key, validateBody(ReplayBody, body ?? {}));
  }
}
