import { createHash, randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { withWorkspace } from '~/platform/db/database.server';
import { getEnv } from '~/platform/env.server';
import { MAX_FILES_PER_UPLOAD, maxUploadBodyBytes, readForm } from '~/platform/forms.server';
import { httpError, refusal, serviceUnavailable } from '~/platform/http-errors.server';
import { getLogger } from '~/platform/logger.server';
import { isStoreError, objectKey } from '~/platform/storage/file-store.server';
import { getFileStore } from '~/platform/storage/store.server';
import { detectContentType, isActiveContent, SNIFF_BYTES } from './detect-type.server';
import { cleanFileName } from './file-names';
import { megabytes, quotaRefusal, storageUsage } from './quota.server';

/** A file whose bytes are in the store, waiting for its row (attachFiles) or its removal. */
export type StagedFile = {
  id: string;
  /** The form field it came in. */
  field: string;
  storeKey: string;
  name: string;
  sizeBytes: number;
  contentType: string;
  sha256: string;
};

/** A file part the form cannot take, said next to its field (422), not as an error page. */
export type UploadProblem = {
  field: string;
  name: string;
  reason: 'empty' | 'badName' | 'tooMany';
};

export type ReceivedUpload = {
  /** The form's other fields, as text. */
  form: FormData;
  files: StagedFile[];
  problems: UploadProblem[];
  /** Removes every staged object: for any path that ends without their rows. */
  discard(): Promise<void>;
};

/** A text field of a multipart form is a name or a comment, never a megabyte. */
const MAX_FIELD_BYTES = 64 * 1024;
/** Text fields an upload form may carry besides its files (intent, where, a message…). */
const MAX_FIELDS = 20;

/**
 * Reads a multipart form, streaming each file part into the store as it arrives: memory holds
 * a chunk and the first 64 KB (to detect the type), never the file. Each file is hashed and
 * measured on the way. busboy parses, with limits on everything a client controls (header
 * sizes, the number of parts and fields, field sizes), and the whole body is counted too.
 * A file over the limit or past the workspace's remaining room, or a store failure, ends the
 * upload with a 413 or 503 after the rest of the body has been read (so the browser shows our
 * page rather than a reset connection) and with every object of this request removed.
 */
export async function receiveUpload(
  request: Request,
  workspaceId: string,
): Promise<ReceivedUpload> {
  const contentType = request.headers.get('Content-Type') ?? '';
  // A form posted without enctype="multipart/form-data" carries no files, only their names.
  if (!contentType.startsWith('multipart/form-data') || !request.body) {
    return { form: await readForm(request), files: [], problems: [], discard: async () => {} };
  }
  const { FILE_MAX_BYTES: maxBytes } = getEnv();
  const bodyLimit = maxUploadBodyBytes(maxBytes);
  const store = getFileStore();
  // Checked again, under a lock, when the rows are written; this stops a full workspace's
  // upload at its first bytes instead of after the whole body is on disk.
  const usage = await withWorkspace({ userId: null, workspaceId }, (trx) =>
    storageUsage(trx, workspaceId),
  );
  let room = usage.quotaBytes - usage.usedBytes;
  const form = new FormData();
  const files: StagedFile[] = [];
  const problems: UploadProblem[] = [];
  let failure: Response | undefined;

  const discard = async () => {
    const keys = files.splice(0).map((file) => file.storeKey);
    if (keys.length) await store.delete(keys).catch((error) => logLeftover(keys, error));
  };

  const receiveFile = async (field: string, part: Readable, filename: string) => {
    // Browsers send only a base name; others may send a path (RFC 7578 §4.2).
    const rawName = filename.split(/[/\\]/).pop() ?? '';
    if (failure) return void part.resume();
    const chunks = part[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

    // The first 64 KB decide the type (and whether there is a file at all).
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < SNIFF_BYTES) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.byteLength;
    }
    // An empty file input is sent as a part with no name and no bytes: no file chosen.
    if (headBytes === 0 && rawName === '') return;
    const name = cleanFileName(rawName);
    const problem = headBytes === 0 ? 'empty' : !name ? 'badName' : null;
    if (problem) {
      problems.push({ field, name: displayable(rawName), reason: problem });
      return void part.resume();
    }

    const first = Buffer.concat(head);
    const type = await detectContentType(first, name!);
    const id = randomUUID();
    const storeKey = objectKey(workspaceId, id);
    const hash = createHash('sha256');
    let size = 0;
    let over: 'file' | 'quota' | null = null;
    const counted = (chunk: Buffer) => {
      size += chunk.byteLength;
      over = size > maxBytes ? 'file' : size > room ? 'quota' : null;
      if (over) throw new Error(`upload over the ${over} limit`);
      hash.update(chunk);
      return chunk;
    };
    const body = Readable.from(
      (async function* () {
        yield counted(first);
        if (ended) return;
        for (let next = await chunks.next(); !next.done; next = await chunks.next())
          yield counted(next.value);
      })(),
      { objectMode: false },
    );
    try {
      await store.put(storeKey, body, { contentType: storedType(type) });
    } catch (error) {
      failure =
        over === 'file'
          ? refusal(413, 'files:errors.tooLarge', { name: name!, limit: megabytes(maxBytes) })
          : over === 'quota'
            ? quotaRefusal(usage)
            : storeFailure(error);
      return void part.resume();
    }
    room -= size;
    files.push({
      id,
      field,
      storeKey,
      name: name!,
      sizeBytes: size,
      contentType: type,
      sha256: hash.digest('hex'),
    });
  };

  const parser = busboy({
    headers: { 'content-type': contentType },
    defParamCharset: 'utf8',
    limits: {
      fieldSize: MAX_FIELD_BYTES,
      fields: MAX_FIELDS,
      files: MAX_FILES_PER_UPLOAD,
      parts: MAX_FILES_PER_UPLOAD + MAX_FIELDS,
      headerPairs: 20,
    },
  });
  // One file at a time, in the order they arrive; busboy waits while a file is being read.
  let work = Promise.resolve();
  parser.on('file', (field, part, info) => {
    work = work.then(() =>
      receiveFile(field, part, info.filename ?? '').catch((error) => {
        failure ??= storeFailure(error);
        part.resume();
      }),
    );
  });
  parser.on('field', (field, value, info) => {
    if (info.valueTruncated || info.nameTruncated) failure ??= httpError(413);
    else form.append(field, value);
  });
  parser.on('filesLimit', () => problems.push({ field: 'files', name: '', reason: 'tooMany' }));
  parser.on('fieldsLimit', () => (failure ??= httpError(413)));
  parser.on('partsLimit', () => (failure ??= httpError(413)));

  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.byteLength;
      // Past every file at its limit plus the fields, the client is not sending a form.
      if (received > bodyLimit) done(httpError(413) as unknown as Error);
      else done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(request.body as WebReadableStream), counter, parser);
    await work;
  } catch (error) {
    await work.catch(() => {});
    await discard();
    if (error instanceof Response) throw error;
    // A body cut short or malformed: the client's doing, not a fault of ours.
    throw httpError(400);
  }
  if (failure) {
    await discard();
    throw failure;
  }
  return { form, files, problems, discard };
}

/**
 * The type the store keeps with the bytes. Markup a browser would run goes in as an opaque
 * download: a signed Supabase URL stripped of its download parameter must not render an SVG.
 */
const storedType = (type: string) => (isActiveContent(type) ? 'application/octet-stream' : type);

/** A name echoed in a message: without the characters that can disguise how it reads. */
const displayable = (name: string) =>
  // Control and direction characters are exactly what this removes.
  // eslint-disable-next-line no-control-regex
  name.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').slice(0, 255);

/**
 * Why a file could not be stored: the store's own failure (503, logged as ours to fix), its
 * size limit (413), or else the body itself broke off (the client went away or sent a
 * malformed form: 400, worth a warning, not an alarm).
 */
function storeFailure(error: unknown): Response {
  if (isStoreError(error, 'too_large')) return refusal(413, 'files:errors.storeTooLarge');
  if (isStoreError(error)) {
    getLogger().error({ err: error }, 'the file store failed during an upload');
    return serviceUnavailable();
  }
  getLogger().warn({ err: error }, 'an upload broke off before its end');
  return httpError(400);
}

function logLeftover(keys: string[], error: unknown): void {
  // The nightly check lists objects with no row; this says which ones and why.
  getLogger().error({ err: error, keys }, 'could not remove the objects of a failed upload');
}

/**
 * Bytes the server made itself (the demo's files, later a signed contract's PDF) staged like
 * an upload: same type detection, checksum and store, ready for attachFiles().
 */
export async function stageBytes(
  workspaceId: string,
  name: string,
  bytes: Buffer,
): Promise<StagedFile> {
  const cleaned = cleanFileName(name);
  if (!cleaned || bytes.length === 0) throw new Error(`cannot stage "${name}"`);
  const contentType = await detectContentType(bytes.subarray(0, SNIFF_BYTES), cleaned);
  const id = randomUUID();
  const storeKey = objectKey(workspaceId, id);
  await getFileStore().put(storeKey, Readable.from([bytes]), {
    contentType: storedType(contentType),
  });
  return {
    id,
    field: 'files',
    storeKey,
    name: cleaned,
    sizeBytes: bytes.length,
    contentType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
