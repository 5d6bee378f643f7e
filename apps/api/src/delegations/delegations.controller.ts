import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsString, Length } from 'class-validator';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { DelegationsService } from './delegations.service';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { DelegationDto, MyDelegationsDto } from './delegation.responses';

export class CreateDelegationDto {
  @ApiProperty({ description: 'Username of a colleague in your unit who may act on your authority' })
  @IsString()
  @Length(1, 100)
  toUsername!: string;

  @ApiProperty({ example: '2020-01-27', description: 'First local day (Asia/Ho_Chi_Minh), today or later' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'validFrom must be a date yyyy-mm-dd' })
  validFrom!: string;

  @ApiProperty({ example: '2020-02-07', description: 'Last local day, inclusive; at most 90 days after validFrom' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Length(10, 10, { message: 'validTo must be a date yyyy-mm-dd' })
  validTo!: string;

  @ApiProperty({ example: 'Đi công tác' })
  @IsString()
  @Length(3, 1000)
  reason!: string;
}

/** Ủy quyền: an approver lends their authority to a colleague of the same unit for some days; decisions then name both people. */
@ApiTags('delegations')
@ApiBearerAuth()
@Controller('api/delegations')
export class DelegationsController {
  constructor(@Inject(DelegationsService) private readonly delegations: DelegationsService) {}

  @Post()
  @Roles('approver')
  @ApiCreatedResponse({ type: DelegationDto })
  @ApiErrors([AppErrorCode.VALIDATION, AppErrorCode.NOT_FOUND], { 400: 'dates in the past, in the wrong order or more than 90 days apart; the colleague is not of your unit', 404: 'no such username' })
  create(@User() user: CurrentUser, @Body() body: CreateDelegationDto) {
    return this.delegations.create(user, body);
  }

  /** Ends a delegation at once: by the person who gave it or by the Standing Office. */
  @Post(':id/revoke')
  @Roles('approver', 'standing-office')
  @HttpCode(200)
  @ApiOkResponse({ type: DelegationDto })
  @ApiErrors([AppErrorCode.FORBIDDEN, AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT], { 403: '`reason` NOT_GIVER: only the giver or the Standing Office revokes', 409: '`reason` ALREADY_REVOKED' })
  revoke(@User() user: CurrentUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.delegations.revoke(user, id);
  }

  /** Delegations I gave and received. */
  @Get()
  @ApiOkResponse({ type: MyDelegationsDto })
  mine(@User() user: CurrentUser) {
    return this.delegations.mine(user);
  }
}
