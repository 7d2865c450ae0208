import pino from 'pino';
import { getEnv } from './env.server';
import { currentRequestContext } from './request-context.server';
import { singleton } from './singleton.server';

/** JSON lines on stdout; every line written during a request carries its request id. */
export function getLogger(): pino.Logger {
  return singleton('logger', () => {
    const env = getEnv();
    return pino({
      level: env.logLevel,
      base: { service: 'workroom' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const context = currentRequestContext();
        return context ? { requestId: context.requestId } : {};
      },
      redact: {
        paths: [
          'password',
          '*.password',
          'headers.cookie',
          'headers.authorization',
          'token',
          '*.token',
        ],
        censor: '[redacted]',
      },
    });
  });
}
