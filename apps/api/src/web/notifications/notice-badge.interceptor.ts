import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { NotificationsService } from '../../notifications/notifications.service';
import type { WebRequest } from '../web-request';

/**
 * The unread count for the header's badge, read once per web page request (after the login
 * guard, so the person is known); the API and assets are left alone.
 */
@Injectable()
export class NoticeBadgeInterceptor implements NestInterceptor {
  constructor(@Inject(NotificationsService) private readonly notices: NotificationsService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<WebRequest & { unreadNotices?: number }>();
    if (req.method !== 'GET' || !req.user || req.path.startsWith('/api/')) return next.handle();
    return from(this.notices.unreadCount(req.user)).pipe(
      switchMap((n) => {
        req.unreadNotices = n;
        return next.handle();
      }),
    );
  }
}
