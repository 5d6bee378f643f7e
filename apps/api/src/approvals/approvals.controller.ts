import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { DECIDING_ROLES } from '../auth/access-policy';
import { ApprovalsService } from './approvals.service';
import { DecisionDto } from './decision.dto';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { ApprovalDto, ApprovalStateDto } from './approval.responses';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/approvals')
export class ApprovalsController {
  constructor(@Inject(ApprovalsService) private readonly approvals: ApprovalsService) {}

  @Get(':id')
  @ApiOkResponse({ type: ApprovalDto })
  @ApiErrors([AppErrorCode.NOT_FOUND])
  get(@User() user: CurrentUser, @Param('id') id: string) {
    return this.approvals.get(user, id);
  }

  /** Approve, request changes or reject the open step; answered by the approval workflow itself. */
  @Post(':id/decision')
  @Roles(...DECIDING_ROLES)
  @HttpCode(200)
  @ApiOkResponse({ type: ApprovalStateDto, description: 'The approval\'s state after the decision, answered by its workflow' })
  @ApiErrors([AppErrorCode.FORBIDDEN, AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], { 409: '`reason` STALE_VERSION, WRONG_STEP, ALREADY_DECIDED or APPROVAL_CLOSED' })
  decide(@User() user: CurrentUser, @Param('id') id: string, @Body() body: DecisionDto) {
    return this.approvals.decide(user, id, body);
  }
}
