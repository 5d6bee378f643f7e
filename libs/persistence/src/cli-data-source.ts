import { sharedEnvSchema, loadConfig } from './env';
import { createDataSource } from './data-source';

/** For the TypeORM CLI (`npm run migration:run`): the same DataSource the apps use. */
export default createDataSource(loadConfig(sharedEnvSchema.pick({ DATABASE_URL: true })).DATABASE_URL);
