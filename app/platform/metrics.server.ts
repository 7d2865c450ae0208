import { sql } from 'kysely';
import client from 'prom-client';
import { getDb, poolStats } from './db/database.server';
import { openStreamCount } from './live/hub.server';
import { singleton } from './singleton.server';

/** Prometheus metrics at /metrics: requests, open streams, the job queue, the database pool. */
export const metrics = singleton('metrics', () => {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requestDuration = new client.Histogram({
    name: 'workroom_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'workroom_sse_streams_open',
    help: 'Server-sent event streams open in this process.',
    registers: [registry],
    collect() {
      this.set(openStreamCount());
    },
  });
  new client.Gauge({
    name: 'workroom_db_pool_connections',
    help: 'Database pool connections of this process, by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats();
      this.set({ state: 'max' }, stats?.max ?? 0);
      this.set({ state: 'in_use' }, stats?.inUse ?? 0);
      this.set({ state: 'waiting' }, stats?.waiting ?? 0);
    },
  });
  new client.Gauge({
    name: 'workroom_jobs',
    help: 'Jobs in the queue: pending (due, not running) and failed (out of attempts).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      try {
        const { rows } = await sql<{
          pending: string;
          failed: string;
        }>`select * from job_queue_depth()`.execute(getDb());
        this.set({ state: 'pending' }, Number(rows[0]?.pending ?? 0));
        this.set({ state: 'failed' }, Number(rows[0]?.failed ?? 0));
      } catch {
        // The database is down: /healthz says so; the gauge keeps its last value.
      }
    },
  });
  return { registry, requestDuration };
});
