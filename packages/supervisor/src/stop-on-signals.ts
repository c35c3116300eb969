/** What {@link stopOnSignals} tells about a shutdown. */
export interface ShutdownReporter {
  stopping(signal: string): void;
  failed(error: unknown): void;
}

/**
 * Stops a service cleanly on SIGINT or SIGTERM (once, whatever arrives next), then exits: 0 after a clean stop,
 * 1 when stopping failed.
 */
export function stopOnSignals(stop: () => Promise<void>, report: ShutdownReporter): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    report.stopping(signal);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        report.failed(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
}
