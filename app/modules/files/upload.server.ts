import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { unstable_parseMultipartFormData, type UploadHandlerPart } from '@remix-run/node';
import { getEnv } from '~/platform/env.server';
import { MAX_FILES_PER_UPLOAD, maxUploadBodyBytes, readForm } from '~/platform/forms.server';
import { httpError, refusal, serviceUnavailable } from '~/platform/http-errors.server';
import { getLogger } from '~/platform/logger.server';
import { isStoreError, objectKey } from '~/platform/storage/file-store.server';
import { getFileStore } from '~/platform/storage/store.server';
import { detectContentType, SNIFF_BYTES } from './detect-type.server';
import { cleanFileName } from './file-names';

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

/**
 * Reads a multipart form, streaming each file part into the store as it arrives: memory holds
 * a chunk and the first 64 KB (to detect the type), never the file. Each file is hashed and
 * measured on the way. A file over the limit, or a store failure, ends the upload with a 413
 * or 503 after the rest of the body has been read (so the browser shows our page rather than
 * a reset connection) and with every object of this request removed.
 */
export async function receiveUpload(
  request: Request,
  workspaceId: string,
): Promise<ReceivedUpload> {
  const contentType = request.headers.get('Content-Type') ?? '';
  // A form posted without enctype="multipart/form-data" carries no files, only their names.
  if (!contentType.startsWith('multipart/form-data')) {
    return { form: await readForm(request), files: [], problems: [], discard: async () => {} };
  }
  const { FILE_MAX_BYTES: maxBytes } = getEnv();
  const store = getFileStore();
  const files: StagedFile[] = [];
  const problems: UploadProblem[] = [];
  let failure: Response | undefined;
  let drained = 0;

  const discard = async () => {
    const keys = files.splice(0).map((file) => file.storeKey);
    if (keys.length) await store.delete(keys).catch((error) => logLeftover(keys, error));
  };

  // Reads what is left of a part without keeping it; past a generous cap, stops listening.
  const drain = async (chunks: AsyncIterator<Uint8Array>) => {
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      drained += next.value.byteLength;
      if (drained > maxUploadBodyBytes(maxBytes)) throw failure ?? httpError(413);
    }
  };

  const receiveFile = async (part: UploadHandlerPart): Promise<string | undefined> => {
    const chunks = part.data[Symbol.asyncIterator]();
    const field = part.name;
    const rawName = part.filename ?? '';
    if (failure) return void (await drain(chunks));

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
      head.push(Buffer.from(next.value));
      headBytes += next.value.byteLength;
    }
    // An empty file input is sent as a part with no name and no bytes: no file chosen.
    if (headBytes === 0 && rawName === '') return undefined;
    const name = cleanFileName(rawName);
    const problem: UploadProblem['reason'] | null =
      headBytes === 0
        ? 'empty'
        : !name
          ? 'badName'
          : files.length >= MAX_FILES_PER_UPLOAD
            ? 'tooMany'
            : null;
    if (problem) {
      problems.push({ field, name: rawName, reason: problem });
      if (!ended) await drain(chunks);
      return undefined;
    }

    const first = Buffer.concat(head);
    const type = await detectContentType(first, name!);
    const id = randomUUID();
    const storeKey = objectKey(workspaceId, id);
    const hash = createHash('sha256');
    let size = 0;
    let tooLarge = false;
    const counted = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        tooLarge = true;
        throw new Error('file over the size limit');
      }
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
      await store.put(storeKey, body, { contentType: type });
    } catch (error) {
      failure = tooLarge
        ? refusal(413, 'files:errors.tooLarge', { name: name!, limit: megabytes(maxBytes) })
        : storeFailure(error);
      await drain(chunks);
      return undefined;
    }
    files.push({
      id,
      field,
      storeKey,
      name: name!,
      sizeBytes: size,
      contentType: type,
      sha256: hash.digest('hex'),
    });
    return id;
  };

  const receiveField = async (part: UploadHandlerPart): Promise<string> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (size > MAX_FIELD_BYTES) throw httpError(413);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks).toString('utf8');
  };

  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, (part) =>
      part.filename === undefined ? receiveField(part) : receiveFile(part),
    );
  } catch (error) {
    await discard();
    if (error instanceof Response) throw error;
    // A body cut short or not multipart after all: the client's fault, not ours.
    throw httpError(400);
  }
  if (failure) {
    await discard();
    throw failure;
  }
  return { form, files, problems, discard };
}

function storeFailure(error: unknown): Response {
  if (isStoreError(error, 'too_large')) return refusal(413, 'files:errors.storeTooLarge');
  getLogger().error({ err: error }, 'the file store failed during an upload');
  return serviceUnavailable();
}

function logLeftover(keys: string[], error: unknown): void {
  // The nightly check lists objects with no row; this says which ones and why.
  getLogger().error({ err: error, keys }, 'could not remove the objects of a failed upload');
}

/** The limit in megabytes (the message formats the number for its language). */
export const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

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
  await getFileStore().put(storeKey, Readable.from([bytes]), { contentType });
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
