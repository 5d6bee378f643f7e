import { CoordinationController } from './coordination/coordination.controller';
import { CoordinationService } from './coordination/coordination.service';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { ApiConfig } from './config/api.config';
import { InfraModule } from './infra/infra.module';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';
import { WorkflowGateway } from './infra/workflow-gateway';
import { AppErrorFilter } from './common/app-error.filter';
import { HealthController } from './health/health.controller';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { AuthGuard } from './auth/auth.guard';
import { RolesGuard } from './auth/roles.guard';
import { AssignmentsController } from './assignments/assignments.controller';
import { AssignmentsService } from './assignments/assignments.service';
import { ApprovalsController } from './approvals/approvals.controller';
import { ApprovalsService } from './approvals/approvals.service';
import { PlansController } from './plans/plans.controller';
import { PlansService } from './plans/plans.service';
import { PlanChangesService } from './plans/plan-changes.service';
import { WEB_CONTROLLERS, WEB_PROVIDERS } from './web';
import { PlanMatrixService } from './plans/plan-matrix.service';
import { ExtensionsController } from './extensions/extensions.controller';
import { ExtensionsService } from './extensions/extensions.service';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { DelegationsController } from './delegations/delegations.controller';
import { DelegationsService } from './delegations/delegations.service';
import { LoginThrottle } from './auth/login-throttle';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { MonthlyReportController } from './reports/monthly-report.controller';
import { MonthlyReportService } from './reports/monthly-report.service';
import { OnDemandController } from './on-demand/on-demand.controller';
import { OnDemandService } from './on-demand/on-demand.service';
import { AUDIT_CONTROLLERS, AUDIT_PROVIDERS } from './audit';
import { AUDIT_LOG_CONTROLLERS, AUDIT_LOG_PROVIDERS } from './audit-log';
import { FILES_CONTROLLERS, FILES_PROVIDERS } from './files';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: config.NODE_ENV !== 'test',
          },
        }),
        InfraModule.forRoot(config),
        JwtModule.register({ secret: config.SESSION_SECRET, signOptions: { expiresIn: '12h' } }),
        ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: 600 }]),
      ],
      controllers: [HealthController, AuthController, PlansController, AssignmentsController, ApprovalsController, ExtensionsController, CoordinationController, NotificationsController, DelegationsController, MonthlyReportController, OnDemandController, ...WEB_CONTROLLERS, ...AUDIT_CONTROLLERS, ...AUDIT_LOG_CONTROLLERS, WebhooksController, ...FILES_CONTROLLERS],
      providers: [
        WorkflowGateway,
        AuthService,
        LoginThrottle,
        DelegationsService,
        PlansService,
        PlanChangesService,
        AssignmentsService,
        ApprovalsService,
        PlanMatrixService,
        ExtensionsService,
        CoordinationService,
        MonthlyReportService,
        NotificationsService,
        OnDemandService,
        ...WEB_PROVIDERS,
        ...AUDIT_PROVIDERS,
        ...AUDIT_LOG_PROVIDERS,
        WebhooksService,
        ...FILES_PROVIDERS,
        { provide: APP_FILTER, useClass: AppErrorFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
