import type { Transporter } from 'nodemailer';
import { z } from 'zod';
import type { Trx } from '../db/database.server';
import { getEnv } from '../env.server';
import { defineJob, enqueueJob } from '../jobs/jobs.server';
import { singleton } from '../singleton.server';

export const mailSchema = z.object({
  to: z.string().email(),
  subject: z.string().min(1).max(200),
  text: z.string().min(1),
  html: z.string().optional(),
});
export type Mail = z.infer<typeof mailSchema>;

const transport = singleton('mail-transport', () => ({
  url: undefined as string | undefined,
  transporter: undefined as Transporter | undefined,
}));

/** nodemailer is loaded with the first mail sent, not at start. */
async function transporter(): Promise<Transporter | undefined> {
  transport.url ??= getEnv().SMTP_URL;
  if (!transport.transporter && transport.url) {
    const { default: nodemailer } = await import('nodemailer');
    transport.transporter = nodemailer.createTransport(transport.url);
  }
  return transport.transporter;
}

/** In development and tests the local SMTP server's URL; SMTP_URL otherwise. */
export function configureMailTransport(url: string | undefined): void {
  transport.url = url;
  transport.transporter = undefined;
}

export class MailNotConfiguredError extends Error {
  constructor() {
    super('Mail is not configured: set SMTP_URL (e.g. smtp://user:password@smtp.example.com:587).');
    this.name = 'MailNotConfiguredError';
  }
}

export async function sendMailNow(mail: Mail): Promise<void> {
  const smtp = await transporter();
  if (!smtp) throw new MailNotConfiguredError();
  await smtp.sendMail({ from: getEnv().MAIL_FROM, ...mail });
}

export const sendMailJob = defineJob({
  name: 'mail.send',
  payload: mailSchema,
  maxAttempts: 10,
  run: (mail) => sendMailNow(mail),
});

/**
 * Mail leaves through the job queue: the request does not wait on SMTP, a slow or failing
 * server is retried with backoff, and nothing is sent if the transaction rolls back.
 */
export function queueMail(trx: Trx, mail: Mail): Promise<void> {
  return enqueueJob(trx, sendMailJob, mail);
}
