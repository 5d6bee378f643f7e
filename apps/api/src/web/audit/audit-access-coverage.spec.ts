import 'reflect-metadata';
import { PATH_METADATA } from '@nestjs/common/constants';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACCESS } from '../../audit-log/audit-access.decorator';
import { AuditAccessLogController } from '../../audit-log/audit-access-log.controller';
import { AccessLogPageController } from './access-log-page.controller';
import { AuditPagesController } from './audit-pages.controller';

/**
 * Every audit route names its action for the access log (or says why it is not logged):
 * the interceptor would log an unnamed one under its route, but a named action is what an
 * administrator reads.
 */
describe('audit routes and the access log', () => {
  for (const controller of [AuditPagesController, AccessLogPageController, AuditAccessLogController]) {
    it(`${controller.name}: every route has @AuditAccess or @NotAudited`, () => {
      const proto = controller.prototype as unknown as Record<string, unknown>;
      const routes = Object.getOwnPropertyNames(proto).filter((name) => name !== 'constructor' && Reflect.getMetadata(PATH_METADATA, proto[name] as object) !== undefined);
      expect(routes.length).toBeGreaterThan(0);
      for (const name of routes) expect(Reflect.getMetadata(AUDIT_ACCESS, proto[name] as object), `${controller.name}.${name}`).toBeDefined();
    });
  }
});
