import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export interface TestS3 {
  /** http://127.0.0.1:<port>, path-style. */
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

const REPO = path.join(__dirname, '..', '..');

/** A free loopback port (gofakes3 takes host:port, not port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real S3-compatible server for the S3 file store's tests: gofakes3 (Go, in-memory backend),
 * built by scripts/ensure-gofakes3.sh when missing (as the Temporal CLI is), one per test file,
 * with its bucket created. Not a double: the AWS SDK speaks HTTP to it, signs its requests,
 * and reads S3's XML answers and errors.
 */
export async function startS3Server(bucket = 'dieu-hanh-files'): Promise<TestS3> {
  const binary = execFileSync('bash', [path.join(REPO, 'scripts', 'ensure-gofakes3.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim();
  const port = await freePort();
  const child = spawn(binary, ['-backend', 'memory', '-host', `127.0.0.1:${port}`, '-initialbucket', bucket], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gofakes3 exited (${child.exitCode}): ${stderr}`);
    try {
      // Listing the buckets answers once the server is up.
      if ((await fetch(endpoint)).status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`gofakes3 did not answer on ${endpoint}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    bucket,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
