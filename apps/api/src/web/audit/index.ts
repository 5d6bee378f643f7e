import type { Provider, Type } from '@nestjs/common';
import { AccessLogPageController } from './access-log-page.controller';
import { AuditPagesController } from './audit-pages.controller';
import { AuditPagesService } from './audit-pages.service';
import { DossierService } from './dossier.service';
import { VerifyJobs } from './verify-jobs';

/** The auditor pages (issue 8) and the administrators' access log page. The access log page first: its path is more specific. */
export const AUDIT_WEB_CONTROLLERS: Type[] = [AccessLogPageController, AuditPagesController];
export const AUDIT_WEB_PROVIDERS: Provider[] = [VerifyJobs, AuditPagesService, DossierService];
