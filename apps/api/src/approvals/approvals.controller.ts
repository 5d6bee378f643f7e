import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { ApprovalsService } from './approvals.service';
import { DecisionDto } from './decision.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('api/approvals')
export class ApprovalsController {
  constructor(@Inject(ApprovalsService) private readonly approvals: ApprovalsService) {}

  @Get(':id')
  get(@User() user: CurrentUser, @Param('id') id: string) {
    return this.approvals.get(user, id);
  }

  /** Approve, request changes or reject the open step; answered by the approval workflow itself. */
  @Post(':id/decision')
  @Roles('approver', 'standing-office')
  @HttpCode(200)
  decide(@User() user: CurrentUser, @Param('id') id: string, @Body() body: DecisionDto) {
    return this.approvals.decide(user, id, body);
  }
}
