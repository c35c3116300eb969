import { NonRetryableError } from '@gleaner/core';
import type { Job } from '@gleaner/queue';

/**
 * Whether a job ran before: a failed attempt, or a stalled run whose worker died (which BullMQ does not count
 * as an attempt, but which may have done part of the work).
 */
export function ranBefore(job: Job): boolean {
  return job.attemptsMade > 0 || job.attemptsStarted > 1;
}

/** Whether `error` ends the job: it is not retryable, or this was the job's last attempt. */
export function isLastAttempt(job: Job, error: unknown): boolean {
  return error instanceof NonRetryableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
