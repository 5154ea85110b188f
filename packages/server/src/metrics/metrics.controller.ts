import { Type } from '@sinclair/typebox';
import { Answers, Summary } from '../openapi';
import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { Public } from '../auth/roles.decorator';
import { ORDO_CONFIG } from '../config/config.module';
import type { OrdoConfig } from '../config/ordo-config';
import { problems } from '../problems/api-problem';
import { OrdoMetrics } from './ordo-metrics';

const sameSecret = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: OrdoMetrics,
    private readonly auth: AuthService,
    @Inject(ORDO_CONFIG) private readonly config: OrdoConfig,
  ) {}

  /**
   * Prometheus text format. For a scraper: `Authorization: Bearer` with `ORDO_METRICS_TOKEN`
   * (a token that opens nothing else); for people and automation: any admin credential.
   * (Public to the global guard only because the metrics token is not a principal.)
   */
  @Public()
  @Get()
  @ApiBearerAuth()
  @Summary('Prometheus metrics (metrics token or admin)')
  @Answers(200, Type.String({ description: 'Prometheus text format, version 0.0.4' }), {
    mediaType: 'text/plain',
  })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    if (!authorization?.startsWith('Bearer ')) throw problems.unauthorized();
    const token = authorization.slice(7).trim();
    const { metricsToken } = this.config;
    if (!(metricsToken && sameSecret(token, metricsToken))) {
      const actor = await this.auth.authenticate(token);
      if (!actor)
        throw problems.unauthorized('The token is not valid (unknown, revoked or expired)');
      if (!actor.roles.includes('admin'))
        throw problems.forbidden('Metrics need the metrics token or the role admin');
    }
    const text = await this.metrics.registry.metrics();
    return reply
      .header('content-type', this.metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  }
}
