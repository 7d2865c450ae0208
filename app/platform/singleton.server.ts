// Lazily created, one per process: the whole server (HTTP, CLI, jobs) is one bundle, so a
// module-level registry is enough; tests get a fresh one per file from module isolation.
const registry = new Map<string, unknown>();

export function singleton<T>(name: string, create: () => T): T {
  if (!registry.has(name)) registry.set(name, create());
  return registry.get(name) as T;
}
