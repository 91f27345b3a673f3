import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Mailer, MailMessage, MailPurpose } from '../domain/notifications/account-notifier.js';
import type { Metrics } from '../metrics.js';

export interface MailerSettings {
  smtpUrl: string | undefined;
  tlsRejectUnauthorized: boolean;
  from: string;
  /** Where mails go when no SMTP server is configured. */
  outboxDir: string;
}

export type DeliveryFailureListener = (purpose: MailPurpose, error: unknown) => Promise<void>;

/**
 * Sends mails in the background, so a request never waits for (or reveals anything through the timing
 * of) the mail server. Failures are logged, counted and reported; `idle()` waits for what is under way,
 * which shutdown uses so no accepted mail is dropped.
 */
export class QueuedMailer implements Mailer {
  readonly #pending = new Set<Promise<void>>();
  readonly #transport: Transporter;
  readonly #outbox: boolean;

  constructor(
    private readonly settings: MailerSettings,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly onFailure: DeliveryFailureListener,
  ) {
    this.#outbox = !settings.smtpUrl;
    this.#transport = settings.smtpUrl
      ? nodemailer.createTransport({
          url: settings.smtpUrl,
          tls: { rejectUnauthorized: settings.tlsRejectUnauthorized },
        })
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  deliver(message: MailMessage, purpose: MailPurpose): void {
    const sending: Promise<void> = this.#send(message, purpose).finally(() => this.#pending.delete(sending));
    this.#pending.add(sending);
  }

  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  close(): void {
    this.#transport.close();
  }

  async #send(message: MailMessage, purpose: MailPurpose): Promise<void> {
    try {
      const info = (await this.#transport.sendMail({ from: this.settings.from, ...message })) as {
        message?: Buffer;
      };
      this.metrics.mailsSent.inc({ kind: purpose.kind });
      if (this.#outbox && info.message) {
        const file = await this.#writeToOutbox(info.message);
        this.logger.info(
          { event: 'mail.written', kind: purpose.kind, tenantId: purpose.tenantId, file },
          'mail written to the outbox',
        );
      } else {
        this.logger.info({ event: 'mail.sent', kind: purpose.kind, tenantId: purpose.tenantId }, 'mail sent');
      }
    } catch (error) {
      this.metrics.mailFailures.inc({ kind: purpose.kind });
      this.logger.error(
        {
          event: 'mail.failed',
          kind: purpose.kind,
          tenantId: purpose.tenantId,
          error: (error as Error).message,
        },
        'mail delivery failed',
      );
      await this.onFailure(purpose, error).catch((reportError: unknown) =>
        this.logger.error({ err: reportError }, 'could not record the mail failure'),
      );
    }
  }

  async #writeToOutbox(raw: Buffer): Promise<string> {
    await fs.mkdir(this.settings.outboxDir, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`;
    const file = path.join(this.settings.outboxDir, name);
    await fs.writeFile(file, raw, { mode: 0o600 });
    return file;
  }
}
