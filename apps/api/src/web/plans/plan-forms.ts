import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { CsrfForm } from '../web-forms.dto';

const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A plan file chosen (multipart field `files`) or pasted here. */
export class PlanImportForm extends CsrfForm {
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Length(1, 5_000_000)
  definition?: string;
}

export class PlanLaunchForm extends CsrfForm {}

export class PlanCloseForm extends CsrfForm {
  @IsString()
  @Length(0, 5000)
  reason!: string;
}
