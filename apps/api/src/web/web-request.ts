import type { Request } from 'express';
import type { CurrentUser } from '../auth/current-user';

/** An express request after the AuthGuard: `user` is set when a session or token was valid. */
export type WebRequest = Request & { user?: CurrentUser; /** Set by NoticeBadgeInterceptor for the header's badge. */ unreadNotices?: number };

/** A same-site path to come back to after login; anything else becomes "/". */
export function safeNextPath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}
