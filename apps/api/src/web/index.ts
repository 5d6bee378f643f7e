import type { Provider, Type } from '@nestjs/common';
import { AssignmentPageController } from './assignment-page.controller';
import { AssignmentPageService } from './assignment-page.service';
import { DeadlineStatus } from './deadline-status';
import { ExtensionForms } from './extension-forms.service';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { MonthlyReportPageController } from './monthly-report-page.controller';
import { NotificationsController } from './notifications.controller';
import { PlanDashboardController } from './plan-dashboard.controller';
import { PlanDashboardService } from './plan-dashboard.service';
import { PlanDirectory } from './plan-directory';
import { SessionController } from './session.controller';
import { WebCsrf, WebCsrfGuard } from './web-csrf';
import { WebExceptionFilter } from './web-exception.filter';
import { WebPages } from './web-pages';

export { WEB_ASSETS_DIR } from './web-paths';

/** Controllers and providers of the server-rendered web UI, registered by AppModule. */
export const WEB_CONTROLLERS: Type[] = [SessionController, InboxController, AssignmentPageController, PlanDashboardController, MonthlyReportPageController, NotificationsController];
export const WEB_PROVIDERS: Provider[] = [
  WebCsrf,
  WebCsrfGuard,
  WebPages,
  WebExceptionFilter,
  DeadlineStatus,
  PlanDirectory,
  InboxService,
  AssignmentPageService,
  PlanDashboardService,
  ExtensionForms,
];
