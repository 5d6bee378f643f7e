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
import { Audit1764400000000 } from './migrations/1764400000000-audit';
import { SessionsDelegationsIdempotency1764300000000 } from './migrations/1764300000000-sessions-delegations-idempotency';
import { SessionEntity } from './entities/session.entity';
import { LoginFailureEntity } from './entities/login-failure.entity';
import { AssignmentStatus1765000000000 } from './migrations/1765000000000-assignment-status';
import { NotificationsPerPerson1765000000001 } from './migrations/1765000000001-notifications-per-person';
import { AuditAccessLog1764500000000 } from './migrations/1764500000000-audit-access-log';
import { PlanAmendments1764900000000 } from './migrations/1764900000000-plan-amendments';
import { WaitingOn1764600000000 } from './migrations/1764600000000-waiting-on';
import { AuditAccessLogEntity } from './entities/audit-access-log.entity';
import { NoticeEmailClaims1764200000000 } from './migrations/1764200000000-notice-email-claims';
import { Webhooks1764700000000 } from './migrations/1764700000000-webhooks';
import { WebhookDeliveryEntity, WebhookSubscriptionEntity } from './entities/webhook.entity';
import { StoredFiles1765200000000 } from './migrations/1765200000000-stored-files';
import { PlanLaunchedAssignments1765600000000 } from './migrations/1765600000000-plan-launched-assignments';
import { UserLanguage1765600000001 } from './migrations/1765600000001-user-language';
import { FileBlobEntity, StoredFileEntity } from './entities/stored-file.entity';
import { ReadModelVolumeIndexes1765100000000 } from './migrations/1765100000000-read-model-volume-indexes';
import { ListVolumeIndexes1765700000000 } from './migrations/1765700000000-list-volume-indexes';
import { InboxQueueIndexes1765700000001 } from './migrations/1765700000001-inbox-queue-indexes';

export const ENTITIES = [
  PlanVersionEntity,
  AssignmentEntity,
  AssignmentEventEntity,
  ApprovalEntity,
  NotificationEntity,
  UserEntity,
  DelegationEntity,
  IdempotencyKeyEntity,
  SessionEntity,
  LoginFailureEntity,
  AuditAccessLogEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  StoredFileEntity,
  FileBlobEntity,
];
export const MIGRATIONS = [
  InitialReadModel1764160000000,
  NoticeEmailClaims1764200000000,
  SessionsDelegationsIdempotency1764300000000,
  Audit1764400000000,
  AuditAccessLog1764500000000,
  Webhooks1764700000000,
  PlanAmendments1764900000000,
  AssignmentStatus1765000000000,
  NotificationsPerPerson1765000000001,
  WaitingOn1764600000000,
  StoredFiles1765200000000,
  PlanLaunchedAssignments1765600000000,
  UserLanguage1765600000001,
  ReadModelVolumeIndexes1765100000000,
  ListVolumeIndexes1765700000000,
  InboxQueueIndexes1765700000001,
];

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
