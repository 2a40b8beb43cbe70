/**
 * Facts about this process that `/health/ready` reports without failing on them: a fallback in
 * use, a degraded tool. Modules register theirs at start; infrastructure knows none by name.
 */
export interface ReadinessNote {
  status: 'ok' | 'degraded';
  detail: string;
}

const notes = new Map<string, () => ReadinessNote>();

export function registerReadinessNote(name: string, note: () => ReadinessNote): void {
  notes.set(name, note);
}

export function readinessNotes(): ({ name: string } & ReadinessNote)[] {
  return [...notes.entries()].map(([name, note]) => ({ name, ...note() }));
}
