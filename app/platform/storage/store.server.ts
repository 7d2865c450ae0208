import path from 'node:path';
import { getEnv, type Env } from '../env.server';
import { singleton } from '../singleton.server';
import type { FileStore } from './file-store.server';
import { LocalFileStore } from './local-store.server';
import { SupabaseFileStore } from './supabase-store.server';

/** The local store's folder: DATA_DIR/files. */
export const localFilesRoot = (env: Env) => path.join(env.dataDir, 'files');

/** The store named by the environment: Supabase when its three variables are set, else local disk. */
export function storeFromEnv(env: Env, which: 'configured' | 'local' = 'configured'): FileStore {
  if (
    which === 'configured' &&
    env.SUPABASE_URL &&
    env.SUPABASE_SERVICE_KEY &&
    env.STORAGE_BUCKET
  ) {
    return new SupabaseFileStore({
      url: env.SUPABASE_URL,
      serviceKey: env.SUPABASE_SERVICE_KEY,
      bucket: env.STORAGE_BUCKET,
    });
  }
  return new LocalFileStore(localFilesRoot(env), env.appUrl, env.sessionSecrets);
}

const current = singleton('file-store', () => ({ store: undefined as FileStore | undefined }));

export function getFileStore(): FileStore {
  current.store ??= storeFromEnv(getEnv());
  return current.store;
}

/** Tests point the app at a store of their own (a folder per file, a loopback Storage API). */
export function useFileStore(store: FileStore): void {
  current.store = store;
}
