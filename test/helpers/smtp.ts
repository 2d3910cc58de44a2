// A real SMTP server for mail tests: listens on 127.0.0.1, optionally demands a user and password,
// parses every message with mailparser, and can be taken down (connection refused) or told to
// answer MAIL FROM with a 4xx or 5xx reply — to play an outage.
//
//   const smtp = await startSmtpServer({ auth: { user: 'mailer', pass: 's3cret' } });
//   env.SVARBUD_SMTP_URL = smtp.url;             // smtp://mailer:s3cret@127.0.0.1:<port>
//   smtp.reject(451);  smtp.accept();  await smtp.down();  await smtp.up();
//   const [mail] = await smtp.waitForMessages(1);
import { createServer, type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  to: string[];
  from: string;
  /** The authenticated user, when the server asked for one. */
  user: string | null;
  /** Whether the session was encrypted (implicit TLS or STARTTLS). */
  secure: boolean;
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpServer {
  /** smtp[s]://[user:pass@]127.0.0.1:<port> — works while the server is down too (the port stays). */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** From now on, answer MAIL FROM with this reply code (4xx: try later, 5xx: refused). */
  reject(code: number): void;
  /** From now on, take every message. */
  accept(): void;
  /** Stops listening: connections are refused until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  clear(): void;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function startSmtpServer(
  options: {
    auth?: { user: string; pass: string };
    down?: boolean;
    /** `starttls`: offer STARTTLS; `implicit`: TLS from the first byte (smtps). Built-in self-signed certificate. */
    tls?: 'starttls' | 'implicit';
  } = {},
): Promise<SmtpServer> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let rejectCode: number | null = null;
  let server: SMTPServer | null = null;
  const auth = options.auth;

  const build = () =>
    new SMTPServer({
      secure: options.tls === 'implicit',
      logger: false,
      // Plain connections unless TLS is asked for (then smtp-server's own self-signed certificate).
      disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(auth ? [] : ['AUTH'])],
      authOptional: !auth,
      allowInsecureAuth: true,
      onAuth(a, _session, callback) {
        if (auth && a.username === auth.user && a.password === auth.pass) {
          callback(null, { user: a.username });
          return;
        }
        const err = Object.assign(new Error('Invalid user name or password'), { responseCode: 535 });
        callback(err);
      },
      onMailFrom(_address, _session, callback) {
        if (rejectCode === null) return callback();
        const text = rejectCode < 500 ? 'Try again later' : 'Refused';
        callback(Object.assign(new Error(text), { responseCode: rejectCode }));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              messages.push({
                to: session.envelope.rcptTo.map((r) => r.address),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                user: typeof session.user === 'string' ? session.user : null,
                secure: session.secure,
                raw,
                parsed,
              });
              for (const wake of waiters) wake();
              callback();
            })
            .catch((err: Error) => callback(err));
        });
      },
    });

  const up = async () => {
    if (server) return;
    const s = build();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    s.on('error', () => {});
    server = s;
  };
  const down = async () => {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  if (!options.down) await up();

  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
  return {
    url: `${options.tls === 'implicit' ? 'smtps' : 'smtp'}://${credentials}127.0.0.1:${port}`,
    port,
    messages,
    reject(code) {
      rejectCode = code;
    },
    accept() {
      rejectCode = null;
    },
    down,
    up,
    waitForMessages(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          cleanup();
          resolve(messages.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} messages, got ${messages.length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    clear() {
      messages.length = 0;
    },
    close: down,
  };
}
