import { collectDefaultMetrics, Counter, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  mailsSent: Counter<'kind'>;
  mailFailures: Counter<'kind'>;
}

/** One Prometheus registry per server, served at /metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'usp_idp_' });
  return {
    registry,
    mailsSent: new Counter({
      name: 'usp_idp_mails_sent_total',
      help: 'Mails handed to the mail server (or the outbox)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    mailFailures: new Counter({
      name: 'usp_idp_mail_delivery_failures_total',
      help: 'Mails that could not be delivered',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}
