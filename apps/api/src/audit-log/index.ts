import type { Provider, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditAccessInterceptor } from './audit-access.interceptor';
import { AuditAccessLog } from './audit-access-log.service';
import { AuditAccessLogController } from './audit-access-log.controller';

export { AuditAccess, NotAudited } from './audit-access.decorator';
export { AuditAccessLog } from './audit-access-log.service';

/** Registered by AppModule: the log, its API, and the global interceptor that fills it. */
export const AUDIT_LOG_CONTROLLERS: Type[] = [AuditAccessLogController];
export const AUDIT_LOG_PROVIDERS: Provider[] = [AuditAccessLog, { provide: APP_INTERCEPTOR, useClass: AuditAccessInterceptor }];
