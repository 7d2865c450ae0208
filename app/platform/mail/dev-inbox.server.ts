import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * Development and tests only: a real SMTP server on localhost that keeps every message as an
 * .eml file under DATA_DIR/mail, listed at /dev/mail. The packages it needs are dev
 * dependencies, loaded only here, so a production image does not carry them.
 */
export type DevInbox = { url: string; stop(): Promise<void> };

export async function startDevInbox(dataDir: string): Promise<DevInbox> {
  const { SMTPServer } = await import('smtp-server');
  const folder = mailFolder(dataDir);
  await mkdir(folder, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const name = `${new Date().toISOString().replaceAll(':', '-')}-${Math.random().toString(36).slice(2, 8)}.eml`;
        writeFile(path.join(folder, name), Buffer.concat(chunks)).then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export type DevMail = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  date: Date;
};

const mailFolder = (dataDir: string) => path.join(dataDir, 'mail');

/** Newest first. */
export async function listDevMail(dataDir: string, limit = 50): Promise<DevMail[]> {
  const { simpleParser } = await import('mailparser');
  const folder = mailFolder(dataDir);
  const names = (await readdir(folder).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .reverse()
    .slice(0, limit);
  return Promise.all(
    names.map(async (name) => {
      const parsed = await simpleParser(await readFile(path.join(folder, name)));
      const to = Array.isArray(parsed.to)
        ? parsed.to.map((a) => a.text).join(', ')
        : (parsed.to?.text ?? '');
      return {
        id: name.replace(/\.eml$/, ''),
        to,
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : null,
        date: parsed.date ?? new Date(),
      };
    }),
  );
}
