import { ApiClient } from './api-client.js';

/** What the demo prints to pull its dataset: the snapshot it cut and a fresh lab key. */
export interface DemoPull {
  snapshotId: string;
  state: string;
  key: string;
}

/**
 * Cuts a snapshot of the demo's dataset, makes a lab key that can read it whole (`datasets:read` and `raw:read`, the
 * WARC files hold raw responses), and waits up to `timeoutMs` (default 120,000) for the worker to publish it.
 */
export async function cutDemoSnapshot(
  admin: ApiClient,
  url: string,
  datasetId: string,
  timeoutMs = 120_000,
): Promise<DemoPull> {
  const cut = await admin.call<{ id: string }>('POST', `/v1/datasets/${datasetId}/snapshots`);
  const { key } = await admin.call<{ key: string }>('POST', '/v1/api-keys', {
    name: 'demo lab',
    scopes: ['datasets:read', 'raw:read'],
  });
  const lab = new ApiClient(url, key);
  const started = Date.now();
  for (;;) {
    const { state } = await lab.call<{ state: string }>(
      'GET',
      `/v1/datasets/${datasetId}/snapshots/${cut.id}`,
    );
    if (state !== 'building' || Date.now() - started > timeoutMs) return { snapshotId: cut.id, state, key };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The ready-to-paste lines that pull the demo's dataset: the live feed with curl, the snapshot with `gleaner pull`. */
export function demoPullLines(url: string, datasetId: string, pull: DemoPull): string[] {
  // The key goes in the environment: a command line is readable by every user of the machine.
  const command =
    `GLEANER_API_KEY=${pull.key} npx gleaner pull ${datasetId} --coordinator ${url} ` +
    '--out ./gleaner-snapshot';
  return [
    `  curl -H 'Authorization: Bearer ${pull.key}' '${url}/v1/datasets/${datasetId}/records?limit=1000'`,
    pull.state === 'published'
      ? `  ${command}`
      : `  (snapshot ${pull.snapshotId} is ${pull.state}; once published:)\n  ${command}`,
  ];
}
