import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What a scrape reads from the database and the live gateway (computed then, not kept). */
export interface MetricSources {
  backlog(): Promise<{
    outboxPending: number;
    outboxLagSeconds: number;
    timersDue: number;
    timerLagSeconds: number;
  }>;
  liveClients(): number;
}

/**
 * This app's Prometheus metrics, in a registry of its own (never prom-client's global one):
 * several apps in one process (tests, benchmarks) each count their own. Counters move where
 * the runtime records an outcome; backlog gauges are read from the database at each scrape.
 */
export class OrdoMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'ordo_http_request_duration_seconds',
    help: 'HTTP request latency, by method, route pattern and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly effects = new Counter({
    name: 'ordo_effects_total',
    help: 'Outbox effect attempts settled, by effect type and outcome (done, dead, retried)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'ordo_webhook_deliveries_total',
    help: 'Outbound webhook delivery attempts, by outcome (delivered, retried, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly exceptions = new Counter({
    name: 'ordo_exceptions_total',
    help: 'Exceptions raised (each source once), by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private sources?: MetricSources;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const sources = () => this.sources;
    // One database read per scrape feeds the four backlog gauges; each gauge awaits it.
    let reading: Promise<Awaited<ReturnType<MetricSources['backlog']>>> | undefined;
    const backlog = () => {
      reading ??= sources()
        ?.backlog()
        .finally(() => (reading = undefined));
      return reading;
    };
    const fromBacklog = (
      name: string,
      help: string,
      pick: (b: Awaited<ReturnType<MetricSources['backlog']>>) => number,
    ) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          const read = await backlog();
          if (read) this.set(pick(read));
        },
      });
    fromBacklog(
      'ordo_outbox_pending',
      'Effects waiting in the outbox (due or retrying later)',
      (b) => b.outboxPending,
    );
    fromBacklog(
      'ordo_outbox_lag_seconds',
      'Age of the oldest due, unclaimed effect (0: none)',
      (b) => b.outboxLagSeconds,
    );
    fromBacklog('ordo_timers_due', 'Timers past their due time, not yet fired', (b) => b.timersDue);
    fromBacklog(
      'ordo_timer_lag_seconds',
      'How late the most overdue timer is (0: none)',
      (b) => b.timerLagSeconds,
    );
    new Gauge({
      name: 'ordo_live_clients',
      help: 'Socket clients connected to this process (/live)',
      registers: [this.registry],
      collect() {
        const from = sources();
        if (from) this.set(from.liveClients());
      },
    });
  }

  /** Where the scrape-time gauges read from (set once the app's providers exist). */
  readFrom(sources: MetricSources): void {
    this.sources = sources;
  }

  /** `2xx`, `4xx`, `5xx`: few series per route, enough for error rates. */
  static statusClass(status: number): string {
    return `${Math.floor(status / 100)}xx`;
  }
}
