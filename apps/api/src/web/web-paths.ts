import path from 'node:path';

/** Templates and static files live beside the code (the API runs from source via SWC); views/ holds the shared layout, macros and error page. */
export const WEB_VIEWS_DIR = path.join(__dirname, 'views');
export const WEB_ASSETS_DIR = path.join(__dirname, 'assets');
/** The auditor pages keep their templates in their own folder (web/audit/views), searched after views/. */
export const AUDIT_VIEWS_DIR = path.join(__dirname, 'audit', 'views');
/** Pages with a folder of their own keep their templates beside their controller (web/<page>/<view>.njk). */
export const PAGE_VIEW_DIRS = ['inbox', 'notifications', 'assignment', 'dashboard', 'report', 'on-demand', 'amendment', 'session'].map((page) => path.join(__dirname, page));
/** The plan import page keeps its template beside its controller (web/plans/views). */
export const PLANS_VIEWS_DIR = path.join(__dirname, 'plans', 'views');
