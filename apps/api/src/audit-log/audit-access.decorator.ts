import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

export const AUDIT_ACCESS = Symbol('auditAccess');

export interface AuditAccessSpec {
  /** What is done: `timeline.view`, `history.export`, `verify.workflow`, `dossier.download`, ... (or a function of the request). */
  action: string | ((req: Request) => string);
  /** What it is done to; by default the route's id-like parameter (`id`, `code`, `workflowId`). */
  target?: (req: Request) => string;
}

/** Not logged on purpose, with the reason (e.g. a progress poll of a job whose start was logged). */
export interface AuditAccessSkip {
  skip: string;
}

/**
 * Names an audit route's action for the access log. Routes under /audit and /api/audit are
 * logged even without it (the action is then the route), so a forgotten decorator only
 * makes a vaguer entry, never a missing one.
 */
export const AuditAccess = (action: AuditAccessSpec['action'], target?: AuditAccessSpec['target']) => SetMetadata(AUDIT_ACCESS, { action, target } satisfies AuditAccessSpec);

/** Leaves a route under /audit out of the log; the reason is required so it is a decision, not an accident. */
export const NotAudited = (reason: string) => SetMetadata(AUDIT_ACCESS, { skip: reason } satisfies AuditAccessSkip);

/** Paths whose every request is an audit access. */
export const isAuditPath = (path: string) => /^\/(api\/)?audit(\/|$)/.test(path);
