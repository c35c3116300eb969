/**
 * Wall-time accounting per collaborator call: wraps async methods of live objects (the admission's stores, sets and
 * queues) so the benchmark can say where an `admit` call spends its time without touching product code.
 */

/** Calls and summed wall time of one step. */
export interface StepStats {
  calls: number;
  totalMs: number;
}

/** Collects {@link StepStats} per label. */
export class StepTimer {
  readonly steps = new Map<string, StepStats>();

  /** Replaces `target[method]` (an async method) with a timed wrapper that records under `label`. */
  wrap<T extends object>(target: T, method: keyof T & string, label: string): void {
    const original = target[method];
    if (typeof original !== 'function') throw new TypeError(`${method} is not a method`);
    const call = original as (...args: unknown[]) => Promise<unknown>;
    const wrapped = async (...args: unknown[]): Promise<unknown> => {
      const start = performance.now();
      try {
        return await call.apply(target, args);
      } finally {
        this.add(label, performance.now() - start);
      }
    };
    Object.defineProperty(target, method, { value: wrapped, configurable: true, writable: true });
  }

  /** Times `work` under `label`. */
  async time<R>(label: string, work: () => Promise<R>): Promise<R> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(label, performance.now() - start);
    }
  }

  /** Records one call of `ms` under `label`. */
  add(label: string, ms: number): void {
    const stats = this.steps.get(label) ?? { calls: 0, totalMs: 0 };
    stats.calls++;
    stats.totalMs += ms;
    this.steps.set(label, stats);
  }

  /** Forgets everything recorded. */
  reset(): void {
    this.steps.clear();
  }
}
