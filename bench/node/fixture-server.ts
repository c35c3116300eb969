// The page fixture as a process of its own (see startPageFixtureProcess): prints one JSON line with its port, URLs
// and mean page size, then serves until its parent closes stdin or kills it.
import { startPageFixture } from './page-fixture.js';

const corpusDir = process.argv[2];
if (!corpusDir) throw new Error('usage: fixture-server.ts CORPUS_DIR');
const fixture = await startPageFixture(corpusDir);
process.stdout.write(
  `${JSON.stringify({ port: fixture.port, urls: fixture.urls, meanBytes: fixture.meanBytes })}\n`,
);
process.stdin.resume();
process.stdin.once('end', () => void fixture.close().then(() => process.exit(0)));
