import { z } from 'zod';
import { resolveDataDir } from './data-dir.server';
import { singleton } from './singleton.server';

// An empty variable counts as unset (a blank line in .env or fly.toml).
const blankAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optionalUrl = z.preprocess(blankAsUnset, z.url().optional());

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every setting Workroom reads. The README's table lists the same names and defaults; a test
 * keeps the two in step.
 */
const envObject = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.preprocess(blankAsUnset, z.string().min(1).optional()),
  DATABASE_URL: optionalUrl,
  DATABASE_OWNER_URL: optionalUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  SESSION_SECRET: z.string().optional(),
  APP_URL: optionalUrl,
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default('Workroom <no-reply@workroom.local>'),
  SUPABASE_URL: optionalUrl,
  SUPABASE_SERVICE_KEY: z.string().optional(),
  STORAGE_BUCKET: z.string().optional(),
  /** The largest file one upload may be (bytes); 25 MB. */
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(25 * 1024 * 1024),
  /** Storage per workspace unless the workspace row says otherwise (bytes); 1 GB. */
  WORKSPACE_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(1024 * 1024 * 1024),
  AI_BASE_URL: optionalUrl,
  AI_API_KEY: z.string().optional(),
  AI_MODEL: z.string().optional(),
  LOG_LEVEL: z.enum(logLevels).optional(),
  JOBS: z.enum(['in-process', 'off']).default('in-process'),
});

/** The names of every variable Workroom reads. */
export const environmentVariables = Object.keys(envObject.shape);

export const envSchema = envObject.superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production') {
    if (!env.SESSION_SECRET || env.SESSION_SECRET.split(',')[0]!.trim().length < 32) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message: 'must be at least 32 characters in production',
      });
    }
    if (!env.APP_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_URL'],
        message: 'is required in production (links in mail point to it)',
      });
    }
  }
  const supabase = [env.SUPABASE_URL, env.SUPABASE_SERVICE_KEY, env.STORAGE_BUCKET];
  if (supabase.some(Boolean) && !supabase.every(Boolean)) {
    ctx.addIssue({
      code: 'custom',
      path: [
        env.SUPABASE_URL
          ? env.SUPABASE_SERVICE_KEY
            ? 'STORAGE_BUCKET'
            : 'SUPABASE_SERVICE_KEY'
          : 'SUPABASE_URL',
      ],
      message:
        'SUPABASE_URL, SUPABASE_SERVICE_KEY and STORAGE_BUCKET are set together or not at all',
    });
  }
});

export type Env = z.infer<typeof envSchema> & {
  dataDir: string;
  /** The first signs new cookies; all verify, so a rotation signs nobody out (docs/operations.md). */
  sessionSecrets: string[];
  appUrl: string;
  isProduction: boolean;
  logLevel: (typeof logLevels)[number];
};

export class InvalidEnvironmentError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid environment: ${variable} ${problem}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/** Parses the environment, throwing an error that names the first bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const value = source[variable];
    const problem =
      issue.code === 'custom'
        ? issue.message
        : `has an invalid value${value ? ` "${value}"` : ''}: ${issue.message}`;
    throw new InvalidEnvironmentError(variable, problem);
  }
  const env = result.data;
  const isProduction = env.NODE_ENV === 'production';
  return {
    ...env,
    isProduction,
    dataDir: resolveDataDir(env.DATA_DIR),
    // Outside production a fixed secret keeps sessions across restarts; production demands its own.
    sessionSecrets: (env.SESSION_SECRET || 'workroom-development-secret-not-for-production')
      .split(',')
      .map((secret) => secret.trim())
      .filter(Boolean),
    appUrl: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'warn' : 'info'),
  };
}

export function getEnv(): Env {
  return singleton('env', () => parseEnv(process.env));
}
