import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { createDataSource } from '@dieu-hanh/persistence';
import type { ApiConfig } from '../config/api.config';

/** The validated config, injected by class. */
export class AppConfig {
  constructor(readonly values: ApiConfig) {}
}

/**
 * PostgreSQL (read model) and the Temporal client: the API's two outside parts,
 * built once from the config and closed on shutdown.
 */
@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Client) private readonly temporal: Client,
  ) {}

  static forRoot(config: ApiConfig) {
    return {
      module: InfraModule,
      providers: [
        { provide: AppConfig, useValue: new AppConfig(config) },
        { provide: DataSource, useFactory: () => createDataSource(config.DATABASE_URL).initialize() },
        {
          provide: Client,
          useFactory: async () =>
            new Client({
              // lazy: the API boots and serves the read model even while Temporal is down.
              connection: Connection.lazy({ address: config.TEMPORAL_ADDRESS }),
              namespace: config.TEMPORAL_NAMESPACE,
            }),
        },
      ],
      exports: [AppConfig, DataSource, Client],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.temporal.connection.close().catch(() => undefined);
    if (this.db.isInitialized) await this.db.destroy();
  }
}
