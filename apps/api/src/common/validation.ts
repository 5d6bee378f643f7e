import { ValidationPipe, type ValidationError } from '@nestjs/common';
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
    return new AppError(AppErrorCode.VALIDATION, `Invalid input: ${fields.map((f) => `${f.field} ${f.reason}`).join('; ')}`, undefined, fields);
  },
});
