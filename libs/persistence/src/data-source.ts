import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ApprovalEntity } from './entities/approval.entity';
import { AssignmentEventEntity } from './entities/assignment-event.entity';
import { AssignmentEntity } from './entities/assignment.entity';
import { DelegationEntity } from './entities/delegation.entity';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { NotificationEntity } from './entities/notification.entity';
import { PlanVersionEntity } from './entities/plan-version.entity';
import { UserEntity } from './entities/user.entity';
import { InitialReadModel1764160000000 } from './migrations/1764160000000-initial-read-model';

export const ENTITIES = [
  PlanVersionEntity,
  AssignmentEntity,
  AssignmentEventEntity,
  ApprovalEntity,
  NotificationEntity,
  UserEntity,
  DelegationEntity,
  IdempotencyKeyEntity,
];
export const MIGRATIONS = [InitialReadModel1764160000000];

/** The one DataSource definition, shared by the API, the worker and the migration command. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
  };
}

export const createDataSource = (databaseUrl: string) => new DataSource(dataSourceOptions(databaseUrl));
