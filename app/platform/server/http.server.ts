import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { findAsset } from '../assets.server';
import { MAX_FORM_BYTES, maxUploadBodyBytes } from '../forms.server';
import { databaseAnswers } from '../db/database.server';
import { getEnv } from '../env.server';
import { resolveLocale } from '../i18n/locales';
import { getLogger } from '../logger.server';
import { metrics } from '../metrics.server';
import { runWithRequestContext } from '../request-context.server';
import { createRouteLabeler } from '../route-labels.server';
import { isPrivateAddress, isSameOriginRequest, securityHeaders } from '../security.server';
import type { RequestState } from '../load-context';
import { liveEndpoint } from './live-endpoint.server';
import { renderStatusDocument } from './status-document.server';

/** The live endpoint's paths, for the metric's label: it is served ahead of Remix. */
const LIVE_PATH = /^\/w\/[^/]+\/live$/;

export function createApp(build: ServerBuild): express.Express {
  const env = getEnv();
  const app = express();
  const routeLabel = createRouteLabeler(build);
  const appOrigin = new URL(env.appUrl).origin;

  app.disable('x-powered-by');
  // Fly's proxy (and any in a private network) sets X-Forwarded-*: trust private hops only.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');

  app.use((request, response, next) => {
    const incoming = request.get('x-request-id');
    const requestId = incoming && /^[\w-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = request.path.startsWith('/assets/')
        ? 'assets'
        : LIVE_PATH.test(request.path)
          ? 'live'
          : routeLabel(request.path);
      metrics.requestDuration.observe(
        { method: request.method, route, status: String(response.statusCode) },
        seconds,
      );
      if (route !== 'assets') {
        getLogger().info(
          {
            requestId,
            method: request.method,
            path: request.path,
            route,
            status: response.statusCode,
            ms: Math.round(seconds * 1000),
          },
          'request',
        );
      }
    });
    runWithRequestContext(
      { requestId, ip: request.ip, userAgent: request.get('user-agent') },
      next,
    );
  });

  app.use(securityHeaders(env.isProduction));

  app.get('/healthz', async (_request, response) => {
    const ok = await databaseAnswers();
    response
      .status(ok ? 200 : 503)
      .type('application/json')
      .set('Cache-Control', 'no-store')
      .send({ status: ok ? 'ok' : 'database unavailable' });
  });

  // Metrics describe the whole installation: for the private network only, not the internet.
  app.get('/metrics', async (request, response, next) => {
    if (!isPrivateAddress(request.ip)) return next();
    response
      .type(metrics.registry.contentType)
      .set('Cache-Control', 'no-store')
      .send(await metrics.registry.metrics());
  });

  app.get('/assets/:file', (request, response, next) => {
    const asset = findAsset(request.path);
    if (!asset) return next();
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    response.setHeader('ETag', asset.etag);
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('Vary', 'Accept-Encoding');
    if (request.get('if-none-match') === asset.etag) return response.status(304).end();
    if (request.acceptsEncodings('gzip')) {
      response.setHeader('Content-Encoding', 'gzip');
      return response.end(asset.gzip);
    }
    response.end(asset.body);
  });
  // favicon.svg, robots.txt: only paths that name a file are looked for on disk, so a page
  // request never pays for a failed file lookup.
  const publicFiles = express.static('public', {
    index: false,
    maxAge: '1h',
    setHeaders: (response) => response.setHeader('X-Content-Type-Options', 'nosniff'),
  });
  app.use((request, response, next) =>
    /\.[a-z0-9]+$/i.test(request.path) ? publicFiles(request, response, next) : next(),
  );

  const locale = (request: express.Request) =>
    resolveLocale(request.get('accept-language') ?? null);
  const contextOf = (request: express.Request, response: express.Response): RequestState => ({
    requestId: String(response.getHeader('X-Request-Id')),
    locale: locale(request),
    timeZone: 'UTC',
    memo: new Map(),
    clientReady: () => clientReady(response),
  });

  // Ahead of compression, which would only wrap every write of a stream it must not compress.
  app.get('/w/:slug/live', liveEndpoint(contextOf));

  app.use(compression());

  app.use((request, response, next) => {
    // Malformed percent-encoding would otherwise surface as a 500 from route matching.
    try {
      decodeURIComponent(request.path);
    } catch {
      return response
        .status(400)
        .type('html')
        .send(renderStatusDocument(400, locale(request)));
    }
    if (!isSameOriginRequest(request, appOrigin)) {
      return response
        .status(403)
        .type('html')
        .send(renderStatusDocument(403, locale(request)));
    }
    const length = Number(request.get('content-length') ?? 0);
    // Refused before a byte is read when the size is announced; readForm() and the upload
    // handler limit the rest. Only an upload (multipart) may be larger than a form.
    const limit = request.is('multipart/form-data') ? maxUploadBodyBytes() : MAX_FORM_BYTES;
    if (length > limit) {
      return response
        .status(413)
        .type('html')
        .send(renderStatusDocument(413, locale(request)));
    }
    next();
  });

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: env.NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: contextOf,
    }),
  );
  return app;
}

/** See RequestState.clientReady: waits out a full socket buffer, or says the client left. */
function clientReady(response: express.Response): Promise<boolean> {
  if (response.destroyed || response.writableEnded) return Promise.resolve(false);
  if (!response.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (ready: boolean) => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(ready);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}

export function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
    // SSE streams stay open for hours; Node's default request timeouts would cut them.
    server.requestTimeout = 0;
    server.headersTimeout = 30_000;
    server.keepAliveTimeout = 65_000;
  });
}
