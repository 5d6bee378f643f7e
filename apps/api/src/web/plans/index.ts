import { PlanAdminController } from './plan-admin.controller';
import { PlanImportService } from './plan-import.service';

export const PLANS_WEB_CONTROLLERS = [PlanAdminController];
export const PLANS_WEB_PROVIDERS = [PlanImportService];
