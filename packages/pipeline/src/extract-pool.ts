import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorFromBody, RetryableError, type ErrorBody } from '@gleaner/core';
import { detectLanguage, extractPlainText, qualitySignals, type ExtractedPage } from '@gleaner/extract';
import type { ExtractTask } from './extract-worker.js';

/** A page to extract. */
export interface ExtractInput {
  body: Uint8Array;
  url: string;
  contentType?: string;
}

/** An extracted page; `fallback` is set when the full extraction ran out of time and the plain-text pass stood in. */
export type PooledPage = ExtractedPage & { fallback?: true };

/** Options for {@link ExtractPool}. */
export interface ExtractPoolOptions {
  /** Worker threads. Default: the machine's cores (at least 1, at most 8). */
  size?: number;
  /** Time one page may take before its worker is replaced and the fallback runs, ms. Default 10,000. */
  budgetMs?: number;
}

type Answer =
  | { id: number; ok: true; page: ExtractedPage }
  | { id: number; ok: false; error: ErrorBody; retryable: boolean };

interface Slot {
  worker: Worker;
  task?: {
    input: ExtractInput;
    resolve: (page: PooledPage) => void;
    reject: (error: Error) => void;
    timer: NodeJS.Timeout;
  };
}

function workerUrl(): URL {
  const built = new URL('./extract-worker.js', import.meta.url);
  // Running from source (the tests): use the built worker beside it.
  return existsSync(fileURLToPath(built)) ? built : new URL('../dist/extract-worker.js', import.meta.url);
}

/** This process's Node options minus a `source` export condition: the threads run the built code. */
function builtCodeArgv(): string[] {
  const argv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const arg = process.execArgv[i]!;
    if (arg === '--conditions' || arg === '-C') i++;
    else if (!arg.startsWith('--conditions=')) argv.push(arg);
  }
  return argv;
}

/**
 * Extraction on worker threads, so the pipeline uses every core and a page can never stall a worker process: each
 * page has a time budget, and a page that overruns it has its thread replaced and is extracted again by the
 * linear plain-text pass (text and links, no markdown structure) instead.
 */
export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: {
    input: ExtractInput;
    resolve: (page: PooledPage) => void;
    reject: (error: Error) => void;
  }[] = [];
  private readonly budgetMs: number;
  private nextId = 1;
  private closed = false;

  constructor(options: ExtractPoolOptions = {}) {
    this.budgetMs = options.budgetMs ?? 10_000;
    const size = options.size ?? Math.min(8, Math.max(1, availableParallelism()));
    for (let i = 0; i < size; i++) this.slots.push({ worker: this.spawn() });
  }

  /** Extracts a page within the budget (falling back to plain text past it); rejects with the extractor's error. */
  extract(input: ExtractInput): Promise<PooledPage> {
    if (this.closed) return Promise.reject(new Error('the extract pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.waiting.splice(0)) pending.reject(new Error('the extract pool is closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Worker {
    const worker = new Worker(workerUrl(), { execArgv: builtCodeArgv() });
    worker.on('message', (answer: Answer) => this.answer(worker, answer));
    worker.on('error', (error) => this.crashed(worker, error));
    worker.unref();
    return worker;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const next = this.waiting.shift();
      if (!next) return;
      const id = this.nextId++;
      const timer = setTimeout(() => this.overran(slot), this.budgetMs);
      slot.task = { ...next, timer };
      const task: ExtractTask = {
        id,
        body: next.input.body,
        url: next.input.url,
        ...(next.input.contentType ? { contentType: next.input.contentType } : {}),
      };
      slot.worker.postMessage(task);
    }
  }

  private answer(worker: Worker, answer: Answer): void {
    const slot = this.slots.find((s) => s.worker === worker);
    const task = slot?.task;
    if (!slot || !task) return;
    clearTimeout(task.timer);
    slot.task = undefined;
    if (answer.ok) task.resolve(answer.page);
    else task.reject(errorFromBody(answer.error));
    this.dispatch();
  }

  private overran(slot: Slot): void {
    const task = slot.task;
    if (!task) return;
    slot.task = undefined;
    void slot.worker.terminate();
    slot.worker = this.spawn();
    try {
      task.resolve(fallbackPage(task.input));
    } catch (error) {
      task.reject(error instanceof Error ? error : new Error(String(error)));
    }
    this.dispatch();
  }

  private crashed(worker: Worker, error: Error): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot) return;
    const task = slot.task;
    slot.task = undefined;
    if (task) {
      clearTimeout(task.timer);
      task.reject(
        new RetryableError('INTERNAL', `extraction thread failed: ${error.message}`, { cause: error }),
      );
    }
    if (!this.closed) slot.worker = this.spawn();
    this.dispatch();
  }
}

/** The plain-text pass dressed as an extracted page (no markdown structure, no metadata beyond the title). */
export function fallbackPage(input: ExtractInput): PooledPage {
  const plain = extractPlainText(input.body, input.url, input.contentType);
  const detected = detectLanguage(plain.text);
  return {
    charset: plain.charset,
    title: plain.title,
    text: plain.text,
    markdown: plain.text,
    language: detected ? { detected } : {},
    metadata: { jsonLd: [], openGraph: {} },
    outlinks: plain.outlinks,
    quality: qualitySignals(plain.text),
    // The fallback runs on pages too heavy to extract in time: never ones to render.
    needsJavaScript: false,
    directives: plain.directives,
    fallback: true,
  };
}
