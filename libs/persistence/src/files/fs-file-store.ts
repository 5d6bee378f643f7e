import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSha256Hex } from '@dieu-hanh/domain/assignment';
import { FileStore } from './file-store';

/**
 * Files in a folder, as `ab/cd/<sha256>`. A file is written under a temporary name and
 * renamed, so a reader never sees half a file.
 */
export class FsFileStore extends FileStore {
  readonly kind = 'fs';

  constructor(private readonly root: string) {
    super();
  }

  private pathOf(sha256: string): string {
    // The hash is checked before it becomes a path: nothing else may name a file here.
    if (!isSha256Hex(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sha256: string, content: Buffer): Promise<void> {
    const path = this.pathOf(sha256);
    await mkdir(join(path, '..'), { recursive: true });
    const temporary = `${path}.${randomUUID()}.part`;
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, path);
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
