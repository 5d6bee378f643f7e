import { Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { NotificationEntity } from '@dieu-hanh/persistence';
import { User, type CurrentUser } from '../auth/current-user';
import { AppError, AppErrorCode } from '../common/app-error';

export class ListNotificationsQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Boolean) @IsBoolean() unread?: boolean;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) pageSize?: number;
}

/** In-app notices addressed to the user's unit, newest first. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  @Get()
  async list(@User() user: CurrentUser, @Query() q: ListNotificationsQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const [items, total] = await this.db.getRepository(NotificationEntity).findAndCount({
      where: { recipientUnit: user.unit, ...(q.unread ? { readAt: null as never } : {}) },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { page, pageSize, total, items: items.map((n) => ({ ...n, link: `/assignments/${encodeURIComponent(n.assignmentId)}` })) };
  }

  @Post(':id/read')
  @HttpCode(200)
  async markRead(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    const repo = this.db.getRepository(NotificationEntity);
    const notice = await repo.findOneBy({ id });
    if (!notice) throw new AppError(AppErrorCode.NOT_FOUND, `no notification ${id}`);
    if (notice.recipientUnit !== user.unit) throw new AppError(AppErrorCode.FORBIDDEN, 'this notice is addressed to another unit', 'OTHER_UNIT');
    notice.readAt ??= new Date();
    await repo.save(notice);
    return notice;
  }
}
