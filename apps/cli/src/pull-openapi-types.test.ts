import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPullTestStack, type PullTestStack } from './pull-test-stack.js';

const SDK_TYPES = fileURLToPath(new URL('../../../packages/sdk/src/openapi-types.ts', import.meta.url));

const HEADER = `/**
 * The coordinator's API as openapi-typescript reads its /openapi.json. Generated: do not edit. After an API change,
 * regenerate with \`npx vitest run apps/cli/src/pull-openapi-types.test.ts -u\`; the test fails while this file
 * and the live document disagree.
 */
`;

describe('the SDK types', () => {
  let stack: PullTestStack;
  beforeAll(async () => {
    stack = await startPullTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('are what openapi-typescript makes of the running coordinator /openapi.json', async () => {
    const response = await fetch(`${stack.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Parameters<typeof openapiTS>[0];
    const generated = HEADER + astToString(await openapiTS(document));
    const options = (await prettier.resolveConfig(SDK_TYPES)) ?? {};
    const formatted = await prettier.format(generated, { ...options, filepath: SDK_TYPES });
    expect(formatted).toContain(`'/v1/datasets/{id}/snapshots/{snapshotId}/files/{path}': {`);
    await expect(formatted).toMatchFileSnapshot(SDK_TYPES);
  });
});
