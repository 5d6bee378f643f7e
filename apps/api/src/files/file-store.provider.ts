import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FileStore, openFileStore } from '@dieu-hanh/persistence/files';
import { AppConfig } from '../infra/infra.module';

/** The one FileStore, chosen by FILE_STORE (validated at boot: fs needs a folder, s3 a bucket). */
export const fileStoreProvider: Provider = {
  provide: FileStore,
  inject: [AppConfig, DataSource],
  useFactory: (config: AppConfig, db: DataSource): Promise<FileStore> => openFileStore(config.values, db),
};
