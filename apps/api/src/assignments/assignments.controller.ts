import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { AssignmentsService, summary } from './assignments.service';
import { ListAssignmentsQuery, SubmitDraftDto, SubmitReportDto } from './assignment.dto';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('api/assignments')
export class AssignmentsController {
  constructor(@Inject(AssignmentsService) private readonly assignments: AssignmentsService) {}

  @Get()
  list(@User() user: CurrentUser, @Query() query: ListAssignmentsQuery) {
    return this.assignments.list(user, query);
  }

  @Get(':id')
  async get(@User() user: CurrentUser, @Param('id') id: string) {
    const row = await this.assignments.get(user, id);
    return { ...summary(row), coordinatingUnits: row.coordinatingUnits, state: row.state };
  }

  /** Live state from the workflow itself (query); 503 when no worker runs. */
  @Get(':id/live')
  live(@User() user: CurrentUser, @Param('id') id: string) {
    return this.assignments.live(user, id);
  }

  /** Submits a new draft version (drafting assignments); returns the version and the approval it opened. */
  @Post(':id/drafts')
  @Roles('drafter', 'unit-head')
  submitDraft(@User() user: CurrentUser, @Param('id') id: string, @Body() body: SubmitDraftDto) {
    return this.assignments.submit(user, id, body, ['drafting']);
  }

  /** Submits a concretisation plan, a monthly report, a review, a policy proposal or a propaganda plan. */
  @Post(':id/reports')
  @Roles('drafter', 'unit-head')
  submitReport(@User() user: CurrentUser, @Param('id') id: string, @Body() body: SubmitReportDto) {
    return this.assignments.submit(user, id, body, ['concretisation', 'monthly-report', 'review', 'policy-proposal', 'propaganda']);
  }
}
