/**
 * "Download my data": each module that keeps something about a person registers a source, and
 * the export is every source's answer under its name. Later modules add theirs here.
 */
export type PersonalDataSource = { name: string; collect(userId: string): Promise<unknown> };

const sources: PersonalDataSource[] = [];

export function registerPersonalData(source: PersonalDataSource): void {
  if (!sources.some((existing) => existing.name === source.name)) sources.push(source);
}

export async function collectPersonalData(userId: string): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    sources.map(async (source) => [source.name, await source.collect(userId)] as const),
  );
  return { exportedAt: new Date().toISOString(), ...Object.fromEntries(entries) };
}
