// Test support for packages that build on the fetcher: the hostile fixture server and a recording server.
export {
  startHostileFixture,
  startRecordingServer,
  zstdBomb,
  type FixtureServer,
} from './hostile-fixture.js';
