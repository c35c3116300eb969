import type { components } from './openapi-types.js';

/** A dataset snapshot as the API lists it: building, then published (immutable) or failed. */
export type Snapshot = components['schemas']['Snapshot'];

/** One snapshot with its files (every file of the folder, manifest.json and manifest.sig included; empty until published). */
export type SnapshotDetail = components['schemas']['SnapshotDetail'];

/** One file of a published snapshot as the API lists it. */
export type SnapshotFile = components['schemas']['SnapshotFile'];
