import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * The commands by name: npm links each app's bin at install, before the build, so each bin is a committed launcher
 * of the built entry point. Run as a user would, through npx from the repository root, after the build.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMMANDS = [
  { name: 'gleaner', app: 'cli' },
  { name: 'gleaner-node', app: 'node' },
  { name: 'gleaner-coordinator', app: 'coordinator' },
  { name: 'gleaner-worker', app: 'worker' },
];

function run(file: string, args: string[], cwd: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let scratch: string | undefined;
afterEach(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('commands by name', () => {
  it.each(COMMANDS)('$name is a committed launcher that npm links and names in package.json', async (c) => {
    const launcher = path.join(ROOT, 'apps', c.app, 'bin', `${c.name}.js`);
    const manifest = JSON.parse(await readFile(path.join(ROOT, 'apps', c.app, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ [c.name]: `./bin/${c.name}.js` });
    expect(await realpath(path.join(ROOT, 'node_modules', '.bin', c.name))).toBe(await realpath(launcher));
  });

  it.each(COMMANDS.slice(0, 2))('npx $name --help prints its usage from the repository root', async (c) => {
    const { code, stdout } = await run('npx', ['--no', '--', c.name, '--help'], ROOT);
    expect(code).toBe(0);
    expect(stdout.startsWith(`Usage: ${c.name} <command>`)).toBe(true);
  });

  it.each(COMMANDS)('$name says how to build when its entry point is not built', async (c) => {
    // The launcher in a copy of the app's layout with no dist/ beside it.
    scratch = await mkdtemp(path.join(tmpdir(), 'gleaner-bin-'));
    await mkdir(path.join(scratch, 'bin'));
    const copy = path.join(scratch, 'bin', `${c.name}.js`);
    await copyFile(path.join(ROOT, 'apps', c.app, 'bin', `${c.name}.js`), copy);
    const { code, stdout, stderr } = await run(process.execPath, [copy, '--help'], scratch);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `${c.name}: ${path.join(scratch, 'dist', 'main.js')} is not built yet: run \`npm run build\` at the repository root\n`,
    );
  });
});
