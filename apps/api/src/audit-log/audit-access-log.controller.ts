import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Roles } from '../auth/roles.guard';
import { ApiErrors } from '../common/api-contract';
import { AppErrorCode } from '../common/app-error';
import { AuditAccess } from './audit-access.decorator';
import { AuditAccessLog } from './audit-access-log.service';

// The page's filter form sends its empty fields as '': that means "any", not a bad value.
const emptyIsAbsent = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: 'Only this person (username)' })
  @IsOptional()
  @emptyIsAbsent()
  @IsString()
  @Length(1, 100)
  username?: string;

  @ApiPropertyOptional({ example: 'timeline.view' })
  @IsOptional()
  @emptyIsAbsent()
  @IsString()
  @Length(1, 200)
  action?: string;

  @ApiPropertyOptional({ description: 'A workflow id, plan code or "archive"' })
  @IsOptional()
  @emptyIsAbsent()
  @IsString()
  @Length(1, 1000)
  target?: string;

  @ApiPropertyOptional({ default: 200, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AccessLogEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'ISO instant' }) at!: string;
  @ApiProperty() username!: string;
  @ApiProperty() userName!: string;
  @ApiProperty() userUnit!: string;
  @ApiProperty({ type: [String] }) userRoles!: string[];
  @ApiProperty({ example: 'timeline.view' }) action!: string;
  @ApiProperty() target!: string;
  @ApiProperty({ enum: ['web', 'api'] }) channel!: string;
  @ApiProperty() method!: string;
  @ApiProperty() path!: string;
  @ApiProperty({ nullable: true, type: Number }) status!: number | null;
}

/** Auditing the auditors: who viewed, exported or verified what, and when. Administrators only. */
@ApiTags('audit')
@ApiBearerAuth()
// Every audit view is recorded first (audit access log): when it cannot be recorded, the view is refused.
@ApiErrors([AppErrorCode.UNAVAILABLE], { 503: 'the audit access log could not record this access' })
@Controller('api/audit/access-log')
export class AuditAccessLogController {
  constructor(@Inject(AuditAccessLog) private readonly log: AuditAccessLog) {}

  @Get()
  @Roles('administrator')
  @AuditAccess('access-log.view', () => '')
  @ApiOkResponse({ type: [AccessLogEntryDto], description: 'Newest first' })
  async list(@Query() query: AccessLogQueryDto): Promise<AccessLogEntryDto[]> {
    const rows = await this.log.list(query);
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }
}
