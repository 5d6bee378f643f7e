import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsString, Length } from 'class-validator';
import { DataSource } from 'typeorm';
import { DelegationEntity, UserEntity } from '@dieu-hanh/persistence';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { AppError, AppErrorCode } from '../common/app-error';
import { localToday } from '../approvals/approvals.service';

export class CreateDelegationDto {
  @ApiProperty({ description: 'Username of the person who may act on your authority' })
  @IsString()
  @Length(1, 100)
  toUsername!: string;

  @ApiProperty({ example: '2020-01-27' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'validFrom must be a date yyyy-mm-dd' })
  validFrom!: string;

  @ApiProperty({ example: '2020-02-07' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'validTo must be a date yyyy-mm-dd' })
  validTo!: string;

  @ApiProperty({ example: 'Đi công tác' })
  @IsString()
  @Length(3, 1000)
  reason!: string;
}

/** Ủy quyền: an approver lends their authority for a date range; decisions then name both people. */
@ApiTags('delegations')
@ApiBearerAuth()
@Controller('api/delegations')
export class DelegationsController {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  @Post()
  @Roles('approver', 'standing-office')
  async create(@User() user: CurrentUser, @Body() body: CreateDelegationDto) {
    const problems = [];
    if (body.validFrom > body.validTo) problems.push({ field: 'validTo', reason: 'must be on or after validFrom' });
    if (body.validTo < localToday()) problems.push({ field: 'validTo', reason: 'must not be in the past' });
    const to = await this.db.getRepository(UserEntity).findOneBy({ username: body.toUsername, active: true });
    if (!to) problems.push({ field: 'toUsername', reason: `no active user ${body.toUsername}` });
    else if (to.id === user.userId) problems.push({ field: 'toUsername', reason: 'cannot delegate to yourself' });
    if (problems.length || !to) throw new AppError(AppErrorCode.VALIDATION, 'Invalid delegation', undefined, problems);
    const repo = this.db.getRepository(DelegationEntity);
    return repo.save(repo.create({ fromUserId: user.userId, toUserId: to.id, validFrom: body.validFrom, validTo: body.validTo, reason: body.reason }));
  }

  /** Delegations I gave and received. */
  @Get()
  async mine(@User() user: CurrentUser) {
    const repo = this.db.getRepository(DelegationEntity);
    return {
      given: await repo.findBy({ fromUserId: user.userId }),
      received: await repo.findBy({ toUserId: user.userId }),
    };
  }
}
