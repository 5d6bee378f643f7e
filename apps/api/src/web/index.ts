import type { Provider, Type } from '@nestjs/common';
import { AssignmentPageController } from './assignment/assignment-page.controller';
import { AssignmentPageService } from './assignment/assignment-page.service';
import { DeadlineStatus } from './deadline-status';
import { ExtensionForms } from './extension/extension-forms.service';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { PlansToLaunch } from './inbox/plans-to-launch';
import { PeopleDirectory } from './people-directory';
import { MonthlyReportPageController } from './report/monthly-report-page.controller';
import { NotificationsPageController } from './notifications/notifications-page.controller';
import { NoticeBadgeInterceptor } from './notifications/notice-badge.interceptor';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { OnDemandPageController } from './on-demand/on-demand-page.controller';
import { PlanDashboardController } from './dashboard/plan-dashboard.controller';
import { PlanAmendmentController } from './amendment/plan-amendment.controller';
import { PlanDashboardService } from './dashboard/plan-dashboard.service';
import { PlanDirectory } from './plan-directory';
import { SessionController } from './session/session.controller';
import { WebCsrf, WebCsrfGuard } from './web-csrf';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';
import { AUDIT_WEB_CONTROLLERS, AUDIT_WEB_PROVIDERS } from './audit';
import { FileDownloadController } from './files/file-download.controller';
import { PLANS_WEB_CONTROLLERS, PLANS_WEB_PROVIDERS } from './plans';

export { WEB_ASSETS_DIR } from './web-paths';

/** Controllers and providers of the server-rendered web UI, registered by AppModule. */
export const WEB_CONTROLLERS: Type[] = [SessionController, InboxController, AssignmentPageController, ...PLANS_WEB_CONTROLLERS, PlanDashboardController, PlanAmendmentController, MonthlyReportPageController, OnDemandPageController, NotificationsPageController, FileDownloadController, ...AUDIT_WEB_CONTROLLERS];
export const WEB_PROVIDERS: Provider[] = [
  WebCsrf,
  WebCsrfGuard,
  WebPages,
  WebExceptionFilter,
  DeadlineStatus,
  PlanDirectory,
  PeopleDirectory,
  InboxService,
  PlansToLaunch,
  AssignmentPageService,
  PlanDashboardService,
  ExtensionForms,
  { provide: APP_INTERCEPTOR, useClass: NoticeBadgeInterceptor },
  ...PLANS_WEB_PROVIDERS,
  ...AUDIT_WEB_PROVIDERS,
];
