import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the part of the Supabase Storage API that @supabase/storage-js and
 * our store use, answering as the API does (supabase/storage `src/http/routes/object/*`,
 * `src/internal/errors/codes.ts`, `src/http/error-handler.ts`, and the documented error codes
 * at https://supabase.com/docs/guides/storage/debugging/error-codes). Objects live in memory.
 */

export type StoredObject = { bytes: Buffer; contentType: string; id: string; updatedAt: string };

export type UploadSeen = { path: string; chunked: boolean; contentLength: string | undefined };

export type StorageApiServerOptions = {
  /** The buckets that exist; the first is the one handed back. */
  buckets?: string[];
  /** The bucket handed back, which may be one that does not exist. */
  bucket?: string;
  /** The bucket's file size limit in bytes. */
  maxObjectBytes?: number;
  /**
   * How errors are answered. `legacy`: HTTP 400 (500 for server faults) and a body
   * `{ statusCode: "404", error: "not_found", message }`, as older servers do and the current
   * one still does by default. `documented`: the real HTTP status and `{ code, message }`, the
   * format the error-codes page documents.
   */
  errorShape?: 'legacy' | 'documented';
  /** Object names the API calls invalid (the real one refuses some characters ours never have). */
  refusesKey?: (name: string) => boolean;
};

export type StorageApiServer = {
  url: string;
  serviceKey: string;
  bucket: string;
  /** What is stored, by `<bucket>/<name>`. */
  objects(): Map<string, StoredObject>;
  /** Every upload request seen, in order. */
  uploads(): UploadSeen[];
  /** Emits `upload-progress` (path, bytes received so far) while an upload body arrives. */
  events: EventEmitter;
  close(): Promise<void>;
};

type ApiErrorCode =
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'EntityTooLarge'
  | 'InvalidKey'
  | 'AccessDenied'
  | 'InvalidJWT'
  | 'InvalidSignature'
  | 'InvalidRequest'
  | 'InvalidRange'
  | 'ResourceAlreadyExists'
  | 'InternalError';

/** Status, legacy `error` and message of each error, as in supabase/storage's ERRORS. */
const apiErrors: Record<ApiErrorCode, { status: number; legacyError: string; message: string }> = {
  NoSuchBucket: { status: 404, legacyError: 'Bucket not found', message: 'Bucket not found' },
  NoSuchKey: { status: 404, legacyError: 'not_found', message: 'Object not found' },
  EntityTooLarge: {
    status: 413,
    legacyError: 'Payload too large',
    message: 'The object exceeded the maximum allowed size',
  },
  InvalidKey: { status: 400, legacyError: 'InvalidKey', message: 'Invalid key' },
  AccessDenied: { status: 403, legacyError: 'Unauthorized', message: 'invalid signature' },
  InvalidJWT: { status: 400, legacyError: 'InvalidJWT', message: 'invalid signature' },
  InvalidSignature: {
    status: 400,
    legacyError: 'InvalidSignature',
    message: 'The url do not match the signature',
  },
  InvalidRequest: { status: 400, legacyError: 'InvalidRequest', message: 'Invalid request' },
  InvalidRange: { status: 400, legacyError: 'invalid_range', message: 'invalid range provided' },
  ResourceAlreadyExists: {
    status: 409,
    legacyError: 'Duplicate',
    message: 'The resource already exists',
  },
  InternalError: { status: 500, legacyError: 'Internal', message: 'Internal server error' },
};

class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message = apiErrors[code].message,
  ) {
    super(message);
  }
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** Signed-URL tokens are HS256 JWTs `{ url: "<bucket>/<name>", exp }`, as the API signs them. */
function signToken(secret: Buffer, url: string, expiresIn: number): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const body = base64url(JSON.stringify({ url, iat: now, exp: now + expiresIn }));
  const signature = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

function verifyToken(secret: Buffer, token: string): { url: string; exp: number } {
  const [head = '', body = '', signature = ''] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ApiError('InvalidJWT', 'invalid signature');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
    url: string;
    exp: number;
  };
  if (claims.exp * 1000 <= Date.now()) throw new ApiError('InvalidJWT', 'jwt expired');
  return claims;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
  } catch {
    throw new ApiError('InvalidRequest', 'body is not JSON');
  }
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` against a size; undefined when there is no header. */
function parseRange(header: string | undefined, size: number) {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header);
  if (!match || (match[1] === '' && match[2] === '')) throw new ApiError('InvalidRange');
  const start = match[1] === '' ? Math.max(0, size - Number(match[2])) : Number(match[1]);
  const end = match[1] === '' || match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start > end || start >= size) throw new ApiError('InvalidRange');
  return { start, end };
}

export async function startStorageApiServer(
  options: StorageApiServerOptions = {},
): Promise<StorageApiServer> {
  const buckets = new Set(options.buckets ?? ['workroom-files']);
  const bucket = options.bucket ?? [...buckets][0]!;
  const maxObjectBytes = options.maxObjectBytes ?? Number.POSITIVE_INFINITY;
  const errorShape = options.errorShape ?? 'legacy';
  const serviceKey = `service-key-${randomBytes(12).toString('hex')}`;
  const tokenSecret = randomBytes(32);
  const objects = new Map<string, StoredObject>();
  const uploads: UploadSeen[] = [];
  const events = new EventEmitter();

  function sendError(response: ServerResponse, error: ApiError): void {
    const { status, legacyError } = apiErrors[error.code];
    const body =
      errorShape === 'legacy'
        ? { statusCode: String(status), error: legacyError, message: error.message }
        : { code: error.code, message: error.message };
    if (response.headersSent) return void response.destroy();
    response.writeHead(errorShape === 'legacy' ? (status >= 500 ? 500 : 400) : status, {
      'content-type': 'application/json; charset=utf-8',
    });
    response.end(JSON.stringify(body));
  }

  function sendJson(response: ServerResponse, body: unknown): void {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  const isAuthorized = (request: IncomingMessage) =>
    request.headers.authorization === `Bearer ${serviceKey}` &&
    (request.headers.apikey === undefined || request.headers.apikey === serviceKey);

  function requireBucket(name: string): void {
    if (!buckets.has(name)) throw new ApiError('NoSuchBucket');
  }

  function findObject(bucketName: string, name: string): StoredObject {
    requireBucket(bucketName);
    const object = objects.get(`${bucketName}/${name}`);
    if (!object) throw new ApiError('NoSuchKey');
    return object;
  }

  function sendObject(
    request: IncomingMessage,
    response: ServerResponse,
    object: StoredObject,
    download: string | null,
  ): void {
    const range = parseRange(request.headers.range, object.bytes.length);
    const bytes = range ? object.bytes.subarray(range.start, range.end + 1) : object.bytes;
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      'content-type': object.contentType,
      'content-length': String(bytes.length),
      etag: `"${object.id}"`,
    };
    if (range)
      headers['content-range'] = `bytes ${range.start}-${range.end}/${object.bytes.length}`;
    if (download !== null) {
      // The API's own header (src/storage/renderer/renderer.ts handleDownload).
      const name = encodeURIComponent(download);
      headers['content-disposition'] = download
        ? `attachment; filename=${name}; filename*=UTF-8''${name};`
        : 'attachment;';
    }
    response.writeHead(range ? 206 : 200, headers);
    response.end(bytes);
  }

  /** Kept only when the body arrived complete: a broken upload leaves nothing, as in the API. */
  function receiveUpload(
    request: IncomingMessage,
    response: ServerResponse,
    bucketName: string,
    name: string,
  ): void {
    requireBucket(bucketName);
    if (options.refusesKey?.(name)) throw new ApiError('InvalidKey', `Invalid key: ${name}`);
    const exists = objects.has(`${bucketName}/${name}`);
    if (request.method === 'POST' && exists && request.headers['x-upsert'] !== 'true')
      throw new ApiError('ResourceAlreadyExists');
    if (request.method === 'PUT' && !exists) throw new ApiError('NoSuchKey');
    uploads.push({
      path: `${bucketName}/${name}`,
      chunked: request.headers['transfer-encoding'] === 'chunked',
      contentLength: request.headers['content-length'],
    });

    const chunks: Buffer[] = [];
    let received = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      received += chunk.length;
      if (received > maxObjectBytes) {
        // Answered at once, as the API does when the stream passes the limit; the rest is drained.
        refused = true;
        chunks.length = 0;
        sendError(response, new ApiError('EntityTooLarge'));
        return;
      }
      chunks.push(chunk);
      events.emit('upload-progress', `${bucketName}/${name}`, received);
    });
    request.on('error', () => {}); // a broken upload: nothing is kept
    request.on('end', () => {
      if (refused) return;
      const id = randomUUID();
      objects.set(`${bucketName}/${name}`, {
        bytes: Buffer.concat(chunks),
        contentType: request.headers['content-type'] ?? 'application/octet-stream',
        id,
        updatedAt: new Date().toISOString(),
      });
      sendJson(response, { Id: id, Key: `${bucketName}/${name}` });
    });
  }

  /** The API's list: one folder level under the prefix, folders with a null id, by name. */
  function list(bucketName: string, body: Record<string, unknown>) {
    requireBucket(bucketName);
    let prefix = typeof body.prefix === 'string' ? body.prefix : '';
    if (prefix && !prefix.endsWith('/')) prefix += '/';
    const limit = typeof body.limit === 'number' ? body.limit : 100;
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const entries = new Map<string, unknown>();
    for (const [path, object] of objects) {
      if (!path.startsWith(`${bucketName}/${prefix}`)) continue;
      const rest = path.slice(bucketName.length + 1 + prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        const folder = rest.slice(0, slash);
        entries.set(folder, {
          name: folder,
          id: null,
          updated_at: null,
          created_at: null,
          last_accessed_at: null,
          metadata: null,
        });
      } else {
        entries.set(rest, {
          name: rest,
          id: object.id,
          updated_at: object.updatedAt,
          created_at: object.updatedAt,
          last_accessed_at: object.updatedAt,
          metadata: { size: object.bytes.length, mimetype: object.contentType },
        });
      }
    }
    return [...entries.keys()]
      .sort()
      .slice(offset, offset + limit)
      .map((name) => entries.get(name));
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const prefix = '/storage/v1/object/';
    if (!url.pathname.startsWith(prefix)) throw new ApiError('InvalidRequest', 'Route not found');
    const segments = url.pathname.slice(prefix.length).split('/').map(decodeURIComponent);
    const method = request.method ?? 'GET';
    const [first = '', second = ''] = segments;

    // Signed downloads need no key: the token is the permission.
    if (method === 'GET' && first === 'sign') {
      const claims = verifyToken(tokenSecret, url.searchParams.get('token') ?? '');
      const path = segments.slice(1).join('/');
      if (claims.url !== path) throw new ApiError('InvalidSignature');
      const object = findObject(second, segments.slice(2).join('/'));
      return sendObject(request, response, object, url.searchParams.get('download'));
    }
    // GET /object/<bucket>/<name> lets an invalid key through as anonymous; our buckets are
    // private, so the API answers "Bucket not found" (src/http/routes/object/getObject.ts).
    if (method === 'GET' && first !== 'authenticated' && !isAuthorized(request))
      throw new ApiError('NoSuchBucket');
    if (!isAuthorized(request)) throw new ApiError('AccessDenied');

    if (method === 'GET') {
      const rest = first === 'authenticated' ? segments.slice(1) : segments;
      const object = findObject(rest[0] ?? '', rest.slice(1).join('/'));
      return sendObject(request, response, object, url.searchParams.get('download'));
    }
    if ((method === 'POST' || method === 'PUT') && first !== 'sign' && first !== 'list')
      return receiveUpload(request, response, first, segments.slice(1).join('/'));
    if (method === 'POST' && first === 'sign') {
      const body = await readJson(request);
      const name = segments.slice(2).join('/');
      findObject(second, name);
      const expiresIn = Number(body.expiresIn);
      if (!Number.isInteger(expiresIn) || expiresIn < 1)
        throw new ApiError('InvalidRequest', 'body/expiresIn must be >= 1');
      const token = signToken(tokenSecret, `${second}/${name}`, expiresIn);
      return sendJson(response, { signedURL: `/object/sign/${second}/${name}?token=${token}` });
    }
    if (method === 'POST' && first === 'list') {
      const body = await readJson(request);
      return sendJson(response, list(second, body));
    }
    if (method === 'DELETE' && segments.length === 1) {
      const body = await readJson(request);
      const prefixes = body.prefixes;
      if (!Array.isArray(prefixes) || prefixes.length === 0)
        throw new ApiError('InvalidRequest', 'body/prefixes must NOT have fewer than 1 items');
      requireBucket(first);
      const deleted = [];
      for (const name of prefixes as string[]) {
        const object = objects.get(`${first}/${name}`);
        if (object && objects.delete(`${first}/${name}`))
          deleted.push({ name, bucket_id: first, id: object.id });
      }
      return sendJson(response, deleted);
    }
    throw new ApiError('InvalidRequest', 'Route not found');
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      sendError(
        response,
        error instanceof ApiError ? error : new ApiError('InternalError', String(error)),
      );
      request.resume(); // drain an upload answered before its body was read
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    serviceKey,
    bucket,
    objects: () => objects,
    uploads: () => uploads,
    events,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
