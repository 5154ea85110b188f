import type { FastifyInstance } from 'fastify';
import { routeOf } from '../logging/request-log';
import { OrdoMetrics } from './ordo-metrics';

/**
 * Times every answered request into the latency histogram, labelled by the route pattern
 * (`/api/orders/:id`, never the raw URL: one series per route, not per order) and status class.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: OrdoMetrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: routeOf(request),
        status: OrdoMetrics.statusClass(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
