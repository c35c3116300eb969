import { parentPort } from 'node:worker_threads';
import { toGleanerError } from '@gleaner/core';
import { extractPage } from '@gleaner/extract';

/** A page to extract, as the pool sends it. */
export interface ExtractTask {
  id: number;
  body: Uint8Array;
  url: string;
  contentType?: string;
}

// Runs in a worker thread of the ExtractPool: one page at a time, answers with the page or the error's body.
parentPort?.on('message', (task: ExtractTask) => {
  try {
    const page = extractPage({
      body: task.body,
      url: task.url,
      ...(task.contentType ? { contentType: task.contentType } : {}),
    });
    parentPort!.postMessage({ id: task.id, ok: true, page });
  } catch (error) {
    const failure = toGleanerError(error);
    parentPort!.postMessage({
      id: task.id,
      ok: false,
      error: failure.toBody(),
      retryable: failure.retryable,
    });
  }
});
