import type { Provider, Type } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { RefusalLog } from './refusal-log';
import { ReplayVerifier } from './replay-verifier';

export { AuditService } from './audit.service';
export { RefusalLog } from './refusal-log';
export * from './audit.types';

/** Controllers and providers of auditing (issue 8), registered by AppModule. */
export const AUDIT_CONTROLLERS: Type[] = [AuditController];
export const AUDIT_PROVIDERS: Provider[] = [AuditService, RefusalLog, ReplayVerifier];
