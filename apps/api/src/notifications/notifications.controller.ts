import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { User, type CurrentUser } from '../auth/current-user';
import { AppErrorCode } from '../common/app-error';
import { IsQueryBoolean } from '../common/validation';
import { PageQuery, sortValues } from '../common/list-query';
import { ApiErrors } from '../common/api-contract';
import { MarkedAllReadDto, NotificationDto, NotificationPage } from './notification.responses';
import { NOTICE_KINDS, NotificationsService } from './notifications.service';

const NOTIFICATION_SORTS = sortValues('createdAt');

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true: only unread notices; false: only read ones' }) @IsOptional() @IsQueryBoolean() unread?: boolean;
  @ApiPropertyOptional({ enum: NOTICE_KINDS }) @IsOptional() @IsIn(NOTICE_KINDS) kind?: string;
  @ApiPropertyOptional({ description: 'Plan key' }) @IsOptional() @IsString() @Length(1, 200) plan?: string;
  @ApiPropertyOptional({ enum: NOTIFICATION_SORTS, default: '-createdAt' }) @IsOptional() @IsIn(NOTIFICATION_SORTS) sort?: string;
}

/** In-app notices for the person (their unit, and their role where a notice names one), newest first; read per person. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(@Inject(NotificationsService) private readonly notices: NotificationsService) {}

  @Get()
  @ApiOkResponse({ type: NotificationPage, description: 'Newest first unless sort=createdAt; `unread` counts every unread notice of the person' })
  async list(@User() user: CurrentUser, @Query() q: ListNotificationsQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const { total, items } = await this.notices.list(user, { unread: q.unread, kind: q.kind, plan: q.plan, page, pageSize, oldestFirst: q.sort === 'createdAt' });
    return { page, pageSize, total, unread: await this.notices.unreadCount(user), items: items.map((n) => ({ ...n, link: `/assignments/${encodeURIComponent(n.assignmentId)}` })) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: MarkedAllReadDto })
  async markAllRead(@User() user: CurrentUser) {
    return { marked: await this.notices.markAllRead(user) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors([AppErrorCode.NOT_FOUND, AppErrorCode.FORBIDDEN], { 403: '`reason` OTHER_UNIT: addressed to other people' })
  markRead(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.notices.markRead(user, id);
  }
}
