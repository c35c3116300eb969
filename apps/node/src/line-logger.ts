const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: Infinity } as const;

/** A log level name. */
export type LevelName = keyof typeof LEVELS;

/** The node's logger: one JSON line per entry on stdout, pino's shape (`level`, `time`, `msg`, fields). */
export interface LineLogger {
  debug(fields: object, msg: string): void;
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

function plain(value: unknown): unknown {
  return value instanceof Error ? { type: value.name, message: value.message, stack: value.stack } : value;
}

/**
 * Makes the node's logger. A contributor's node runs all day on someone's computer, so it keeps to this small
 * writer rather than a logging library: every megabyte of an idle node counts.
 */
export function createLineLogger(level: string, base: Record<string, unknown>): LineLogger {
  const threshold = LEVELS[level as LevelName] ?? LEVELS.info;
  const write = (value: number) => (fields: object, msg: string) => {
    if (value < threshold) return;
    const entry: Record<string, unknown> = { level: value, time: Date.now(), ...base };
    for (const [key, field] of Object.entries(fields)) entry[key] = plain(field);
    entry.msg = msg;
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: write(LEVELS.debug),
    info: write(LEVELS.info),
    warn: write(LEVELS.warn),
    error: write(LEVELS.error),
  };
}
