/** Longest secret read from standard input, characters. */
const MAX_SECRET_CHARS = 4096;

/**
 * Reads a secret from standard input: its first line, trimmed (from a pipe, a file or a terminal, where it asks
 * with `prompt` on standard error). Secrets come this way, or from the environment or a file, because a command
 * line is visible to every user of the machine.
 */
export async function readSecretFromStdin(
  prompt: string,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  if (stdin.isTTY) process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      stdin.off('data', onData);
      stdin.off('end', done);
      stdin.off('error', reject);
      stdin.pause();
      const line = text.split(/\r?\n/)[0]!.trim();
      if (!line) reject(new Error('standard input gave no token'));
      else resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n') || text.length > MAX_SECRET_CHARS) done();
    };
    stdin.on('data', onData);
    stdin.once('end', done);
    stdin.once('error', reject);
  });
}
