import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { User, type CurrentUser } from '../auth/current-user';
import { Roles } from '../auth/roles.guard';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { CommentDto, CommentRequestDto } from './coordination.dto';
import { CommentsAnswerDto } from './coordination.responses';
import { CoordinationService } from './coordination.service';

/** Xin ý kiến: the lead unit asks its coordinating units (phối hợp) for written comments; they answer. */
@ApiTags('assignments')
@ApiBearerAuth()
@Controller('api/assignments')
export class CoordinationController {
  constructor(@Inject(CoordinationService) private readonly coordination: CoordinationService) {}

  /** The lead unit asks some of its coordinating units for comments by a deadline in working days. */
  @Post(':id/comment-requests')
  @Roles('drafter', 'unit-head')
  @ApiCreatedResponse({ type: CommentsAnswerDto })
  @ApiErrors([AppErrorCode.VALIDATION, AppErrorCode.FORBIDDEN, AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], {
    400: 'a unit that does not coordinate this assignment, an empty question, a deadline outside 1–30 working days or none (the plan sets no default)',
    403: 'not of the lead unit',
    409: '`reason` NOT_ACCEPTING: the assignment is closed',
  })
  request(@User() user: CurrentUser, @Param('id') id: string, @Body() body: CommentRequestDto) {
    return this.coordination.request(user, id, body);
  }

  /** A coordinating unit asked gives its written comments, once per request. */
  @Post(':id/comments')
  @Roles('drafter', 'unit-head')
  @HttpCode(200)
  @ApiOkResponse({ type: CommentsAnswerDto })
  @ApiErrors([AppErrorCode.VALIDATION, AppErrorCode.FORBIDDEN, AppErrorCode.NOT_FOUND, AppErrorCode.CONFLICT, AppErrorCode.UNAVAILABLE], {
    400: 'an empty comment',
    403: 'a unit the request does not ask',
    404: 'no such assignment or request',
    409: '`reason` ALREADY_ANSWERED (the unit answered this request), NOT_ACCEPTING (the assignment is closed)',
  })
  comment(@User() user: CurrentUser, @Param('id') id: string, @Body() body: CommentDto) {
    return this.coordination.comment(user, id, body);
  }
}
