import { applyDecorators, ValidationPipe, type ValidationError } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, ValidateBy, type ValidationOptions } from 'class-validator';
import { isIsoDate } from '@dieu-hanh/domain';
import { AppError, AppErrorCode, type FieldProblem } from './app-error';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Validates every body and query; a 400 lists each bad field and why. Unknown fields are refused. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const fields = flatten(errors);
    // class-validator's reasons start with the property's own name ("text must be …"): say the whole path once.
    const sentence = (f: FieldProblem) => {
      const leaf = f.field.split('.').pop() ?? f.field;
      return f.reason.startsWith(`${leaf} `) ? `${f.field}${f.reason.slice(leaf.length)}` : `${f.field}: ${f.reason}`;
    };
    return new AppError(AppErrorCode.VALIDATION, `Invalid input: ${fields.map(sentence).join('; ')}`, undefined, fields);
  },
});

/**
 * A calendar date `yyyy-mm-dd` that exists (2020-02-29 yes; 2020-02-31, 2020-13-01, 2020-1-5,
 * timestamps no): the domain's one strict check, for every date a body or query carries.
 */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a calendar date yyyy-mm-dd`,
      },
    },
    options,
  );
}

/**
 * A boolean in the query string: exactly `true` or `false` (`?unread=false` means false).
 * `@Type(() => Boolean)` would read every non-empty string, "false" included, as true.
 */
export function IsQueryBoolean(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: ({ property }) => `${property} must be true or false` }),
  );
}
