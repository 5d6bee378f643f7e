import net, { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients, lower-cased. */
  to: string[];
  /** Envelope sender. */
  from: string;
  /** The decoded Subject header. */
  subject: string;
  /** The decoded plain-text body. */
  text: string;
  /** The Message-ID header (`<…>`), which the worker derives from the notice: one per notice. */
  messageId: string | undefined;
  /** The raw message. */
  data: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface SmtpOptions {
  /** A fixed loopback port (so the server can go down and come back where the worker expects it); a free one when absent. */
  port?: number;
  /** Start with nothing listening (a relay that is down until `up()`). */
  startDown?: boolean;
  /** Turn a message away after its data arrived, as a busy or strict server does. */
  refuse?: (mail: ReceivedMail) => boolean;
  /** The code of those refusals: 451 (try later) unless given, e.g. 550 for good. */
  refuseCode?: number;
}

/**
 * A real SMTP server on loopback (the smtp-server package), the one every test uses: it records
 * what it accepted and refused, can refuse chosen recipients for a while (451 at RCPT TO), can
 * run a hook while a message arrives (before it answers 250), and can go down and come back on
 * the same port, as a dead mail relay does.
 */
export interface TestSmtp {
  readonly url: string;
  readonly port: number;
  /** Every message the server accepted, in order. */
  received: ReceivedMail[];
  /** Messages turned away by `refuse` (after their data arrived), in order. */
  refused: ReceivedMail[];
  readonly isUp: boolean;
  /** Refuse this recipient with a transient 451 until `acceptRecipient`. */
  refuseRecipient(address: string): void;
  acceptRecipient(address: string): void;
  /** Runs while a message is being received, before the server answers (e.g. to cut the database). */
  onReceive(hook: (() => Promise<void>) | undefined): void;
  /** How many accepted messages carry this Message-ID. */
  countOf(messageId: string): number;
  up(): Promise<void>;
  /** Stops listening; open sessions are dropped (a dead relay does not wait for them). */
  down(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const refused: ReceivedMail[] = [];
  const refusedRecipients = new Set<string>();
  let whileReceiving: (() => Promise<void>) | undefined;
  let server: SMTPServer | undefined;
  let port = options.port ?? (options.startDown ? await freeLoopbackPort() : 0);

  const up = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      const s = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onRcptTo(address, _session, callback) {
          if (refusedRecipients.has(address.address.toLowerCase())) return callback(smtpError(451, 'mailbox busy, try later'));
          callback();
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const data = Buffer.concat(chunks).toString('utf8');
            const mail: ReceivedMail = {
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              ...parseMessage(data),
              messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(data)?.[1],
              data,
              at: Date.now(),
            };
            if (options.refuse?.(mail)) {
              refused.push(mail);
              const code = options.refuseCode ?? 451;
              return callback(smtpError(code, code >= 500 ? 'Mailbox unavailable' : 'Try again later'));
            }
            received.push(mail);
            void (whileReceiving ?? (async () => undefined))().then(() => callback());
          });
        },
      });
      s.on('error', () => undefined);
      // smtp-server keeps its net.Server in `.server`.
      const inner = (s as unknown as { server: net.Server }).server;
      inner.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (inner.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const down = async () => {
    const s = server;
    server = undefined;
    if (s) await Promise.race([new Promise<void>((r) => s.close(() => r())), new Promise((r) => setTimeout(r, 2000))]);
  };

  if (!options.startDown) await up();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    received,
    refused,
    get isUp() {
      return server !== undefined;
    },
    refuseRecipient: (address) => void refusedRecipients.add(address.toLowerCase()),
    acceptRecipient: (address) => void refusedRecipients.delete(address.toLowerCase()),
    onReceive: (hook) => {
      whileReceiving = hook;
    },
    countOf: (messageId) => received.filter((m) => m.messageId === messageId).length,
    up,
    down,
    close: down,
  };
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

async function freeLoopbackPort(): Promise<number> {
  const probe = net.createServer();
  const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as AddressInfo).port)));
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** Subject and plain text of a nodemailer message (encoded words, quoted-printable, base64). */
export function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  return { subject: decodeWords(headers.get('subject') ?? ''), text: decodeBody(body, encoding) };
}

/** RFC 2047 words anywhere in a header; a character may be split between two words, so adjacent words' bytes are joined before decoding. */
function decodeWords(value: string): string {
  const parts: Buffer[] = [];
  const word = /=\?[^?]+\?([bq])\?([^?]*)\?=/gi;
  let last = 0;
  let previousWasWord = false;
  for (let m = word.exec(value); m; m = word.exec(value)) {
    const between = value.slice(last, m.index);
    // Whitespace between two encoded words is not part of the text (RFC 2047, 6.2).
    if (!(previousWasWord && /^\s*$/.test(between))) parts.push(Buffer.from(between, 'utf8'));
    parts.push(m[1].toLowerCase() === 'b' ? Buffer.from(m[2], 'base64') : quotedPrintableBytes(m[2].replace(/_/g, ' ')));
    last = m.index + m[0].length;
    previousWasWord = true;
  }
  parts.push(Buffer.from(value.slice(last), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return quotedPrintableBytes(body.replace(/=\r?\n/g, '')).toString('utf8').replace(/\r\n/g, '\n');
  return body;
}

function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}
