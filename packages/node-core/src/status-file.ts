import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { requestJson, type JsonResponse } from './json-request.js';

/** Where a running node's status page is, kept in its data folder (mode 0600) for the CLI. */
export interface StatusFile {
  /** Base URL, e.g. `http://127.0.0.1:7310`. */
  url: string;
  /** The secret every request must carry. */
  key: string;
  pid: number;
}

const NAME = 'status-server.json';

/** Writes the status file into `dataDir`. */
export async function writeStatusFile(dataDir: string, info: StatusFile): Promise<void> {
  await writeFile(path.join(dataDir, NAME), JSON.stringify(info), { mode: 0o600 });
}

/** Removes the status file (on shutdown). */
export async function removeStatusFile(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, NAME), { force: true });
}

/** Reads the status file, or throws a readable error when no node runs with this data folder. */
export async function readStatusFile(dataDir: string): Promise<StatusFile> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, NAME), 'utf8')) as StatusFile;
  } catch {
    throw new Error(`no running node found for data folder ${dataDir} (start one with: gleaner-node start)`);
  }
}

/** Calls the running node's local API (`/api/...`) with its secret; throws a readable error on failure. */
export async function callStatusApi<T>(
  dataDir: string,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<T> {
  const info = await readStatusFile(dataDir);
  let response: JsonResponse;
  try {
    response = await requestJson(new URL(apiPath, info.url), {
      method,
      headers: { 'x-gleaner-key': info.key },
      body,
    });
  } catch (error) {
    throw new Error(`the node at ${info.url} does not answer (is it still running?)`, { cause: error });
  }
  const parsed = (response.body ?? {}) as T & { error?: { message?: string } };
  if (!response.ok) throw new Error(parsed.error?.message ?? `the node answered HTTP ${response.status}`);
  return parsed;
}
