/**
 * An error answer of the Gleaner API (`{ error: { code, message } }`), after any retries. `retryable` says whether
 * the same request may succeed later (429 and 5xx answers that outlasted the client's retries); the others need
 * another request: fix the key, the scope, the id or the parameters.
 */
export class GleanerApiError extends Error {
  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** The API's error code (`NOT_FOUND`, `FORBIDDEN`, …), or `HTTP_<status>` when the body had none. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message} (HTTP ${status})`, options);
    this.name = 'GleanerApiError';
  }
}

/** The coordinator could not be reached (connection refused, reset, DNS) after the client's retries: try later. */
export class GleanerUnreachableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GleanerUnreachableError';
  }
}

/**
 * A downloaded snapshot file does not match its manifest entry (size or SHA-256), or the server answered with
 * another file (its `ETag`, a range it was not asked for). The bad bytes are deleted; downloading it again from the
 * start is the remedy.
 */
export class SnapshotFileMismatchError extends Error {
  constructor(
    /** The file, as a path inside the snapshot folder. */
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'SnapshotFileMismatchError';
  }
}

/** The snapshot asked for is not published (still building, or failed): wait for it, or pick another. */
export class SnapshotNotPublishedError extends Error {
  constructor(
    readonly snapshotId: string,
    readonly state: string,
  ) {
    super(`snapshot ${snapshotId} is ${state}, not published`);
    this.name = 'SnapshotNotPublishedError';
  }
}
