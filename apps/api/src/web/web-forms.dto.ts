import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const toStringArray = ({ value }: { value: unknown }) => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

/** Every web form carries the CSRF token (checked by WebCsrfGuard before the body is validated). */
export class CsrfForm {
  @IsString()
  _csrf!: string;
}

export class LoginForm extends CsrfForm {
  @IsString()
  @Length(1, 100)
  username!: string;

  @IsString()
  @Length(1, 200)
  password!: string;

  @IsOptional()
  @IsString()
  @Length(0, 2000)
  next?: string;
}

/** The receiving body's answer to a report's difficulties (III.6). */
export class DifficultyAnswerForm extends CsrfForm {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  version!: number;

  @IsString()
  @Length(0, 20_000)
  text!: string;
}

export class DecisionForm extends CsrfForm {
  @IsString()
  @Length(1, 500)
  approvalId!: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  version!: number;

  @IsString()
  @Length(1, 100)
  step!: string;

  @IsIn(['approve', 'request-changes', 'reject'])
  decision!: 'approve' | 'request-changes' | 'reject';

  @IsOptional()
  @IsString()
  @Length(0, 20_000)
  comment?: string;
}

export class SubmitForm extends CsrfForm {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  version!: number;

  @IsString()
  @Length(1, 200_000)
  text!: string;

  /** Parallel lists: the n-th name goes with the n-th reference; fully empty rows are ignored. */
  @Transform(toStringArray)
  @IsString({ each: true })
  @Length(0, 300, { each: true })
  attachmentName: string[] = [];

  @Transform(toStringArray)
  @IsString({ each: true })
  @Length(0, 1000, { each: true })
  attachmentRef: string[] = [];

  /** Ids of the previous version's uploaded files to carry over (the new uploads come as files). */
  @Transform(toStringArray)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  keepFile: string[] = [];

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cites?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Length(1, 20_000)
  difficulties?: string;
}

/** What a unit head typed; checked field by field in extension-form.ts so the form can say which is wrong. */
export class ExtensionRequestForm extends CsrfForm {
  @IsString()
  @Length(0, 5000)
  reason!: string;

  /** dd/mm/yyyy, as people write dates. */
  @IsString()
  @Length(0, 100)
  proposedDate!: string;
}

/** Xin ý kiến: the coordinating units picked, the question, the working days to answer (empty: the plan's default). */
export class CommentRequestForm extends CsrfForm {
  @Transform(toStringArray)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  units: string[] = [];

  @IsString()
  @Length(0, 10_000)
  question!: string;

  @IsOptional()
  @IsString()
  @Length(0, 10)
  workingDays?: string;
}

/** A coordinating unit's written comments on one request. */
export class CommentForm extends CsrfForm {
  @IsString()
  @Length(1, 100)
  requestId!: string;

  @IsString()
  @Length(0, 10_000)
  text!: string;
}

export class ExtensionDecisionForm extends CsrfForm {
  @IsString()
  @Length(1, 500)
  assignmentId!: string;

  @IsString()
  @Length(1, 200)
  requestId!: string;

  @IsIn(['grant', 'refuse'])
  decision!: 'grant' | 'refuse';

  @IsOptional()
  @IsString()
  @Length(0, 5000)
  comment?: string;

  /** Another date to grant, dd/mm/yyyy; empty grants the proposed one. */
  @IsOptional()
  @IsString()
  @Length(0, 100)
  date?: string;
}

/** Opening an obligation available when needed (III.4): what, and the unit's own target date dd/mm/yyyy. */
export class OpenOnDemandForm extends CsrfForm {
  @IsString()
  @Length(0, 500)
  subject!: string;

  @IsString()
  @Length(0, 100)
  targetDate!: string;
}
