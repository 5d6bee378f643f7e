import { DataSource } from 'typeorm';
import { FileBlobEntity } from '../entities/stored-file.entity';
import { FileStore } from './file-store';

/** Files in the read model's database (`file_blob`): nothing else to run or back up. */
export class PostgresFileStore extends FileStore {
  readonly kind = 'postgres';

  constructor(private readonly db: DataSource) {
    super();
  }

  async put(sha256: string, content: Buffer): Promise<void> {
    await this.db.query(`INSERT INTO file_blob (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING`, [sha256, content]);
  }

  async get(sha256: string): Promise<Buffer | undefined> {
    const row = await this.db.getRepository(FileBlobEntity).findOneBy({ sha256 });
    return row?.content;
  }

  async delete(sha256: string): Promise<void> {
    await this.db.query(`DELETE FROM file_blob WHERE sha256 = $1`, [sha256]);
  }
}
