import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { apiSchema } from '../openapi';
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
  @ApiBody({ schema: apiSchema(ReplayBody) })
  replay(@Param('key') key: string, @Body() body: unknown) {
    return this.replays.replay(key, validateBody(ReplayBody, body ?? {}));
  }
}
