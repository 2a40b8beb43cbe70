import { assertEveryJobHasHandler } from './job-registry.js';
import { JOB_QUEUE } from './queue.constants.js';

describe('assertEveryJobHasHandler', () => {
  const all = Object.keys(JOB_QUEUE);

  it('accepts a registry that covers every job', () => {
    expect(() => assertEveryJobHasHandler(all)).not.toThrow();
  });

  it('fails naming the job that has no handler', () => {
    expect(() => assertEveryJobHasHandler(all.slice(1))).toThrow(
      `No handler registered for job(s): ${all[0]}`,
    );
  });

  it('fails on a handler for a job name that does not exist', () => {
    expect(() => assertEveryJobHasHandler([...all, 'media.nope'])).toThrow(/unknown job\(s\): media.nope/);
  });
});
