import { JOB_QUEUE, type JobName } from './queue.constants.js';

/** Boot must fail when a job name has no handler: a job nobody processes waits forever. */
export function assertEveryJobHasHandler(registered: Iterable<string>): void {
  const have = new Set(registered);
  const missing = (Object.keys(JOB_QUEUE) as JobName[]).filter((name) => !have.has(name));
  if (missing.length > 0) {
    throw new Error(`No handler registered for job(s): ${missing.join(', ')}`);
  }
  const unknown = [...have].filter((name) => !(name in JOB_QUEUE));
  if (unknown.length > 0) {
    throw new Error(`Handler(s) registered for unknown job(s): ${unknown.join(', ')}`);
  }
}
