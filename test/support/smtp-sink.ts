import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './free-port.js';

export interface ReceivedMail {
  /** The envelope recipients, as the IdP's mailer gave them to the SMTP server. */
  recipients: string[];
  parsed: ParsedMail;
}

/**
 * A real SMTP server on a free loopback port (plain SMTP, no auth, no STARTTLS) that keeps every mail,
 * parsed with mailparser. A mail is parsed before the server answers DATA, so once the IdP's mailer is
 * idle (`runtime.mailer.idle()`), every mail it sent is in `mails`.
 */
export class SmtpSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly mails: ReceivedMail[],
  ) {}

  static async start(): Promise<SmtpSink> {
    const port = await freePort();
    const mails: ReceivedMail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1000,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            mails.push({ recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address), parsed });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return new SmtpSink(server, port, mails);
  }

  /** `SMTP_URL` for the IdP. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The mails sent to `address` so far, oldest first. */
  to(address: string): ParsedMail[] {
    return this.mails.filter((mail) => mail.recipients.includes(address)).map((mail) => mail.parsed);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
