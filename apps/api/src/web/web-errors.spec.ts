import { describe, expect, it } from 'vitest';
import { AppError, AppErrorCode } from '../common/app-error';
import { translator } from './i18n/i18n';
import { inPageRefusal, refusalText } from './web-errors';

const vi = translator('vi');
const en = translator('en');

describe('refusals in the reader’s language, without internal codes', () => {
  it('says four eyes as a sentence, in Vietnamese and English', () => {
    const err = new AppError(AppErrorCode.FORBIDDEN, 'Hồ Văn Thẩm already decided a step of this approval chain', 'SAME_PERSON');
    expect(refusalText(err, vi)).toMatch(/^một người không được quyết định hai bước/);
    expect(refusalText(err, en)).toMatch(/^one person may not decide two steps/);
    for (const t of [vi, en]) expect(refusalText(err, t)).not.toMatch(/SAME_PERSON|already decided/);
  });

  it('puts the facts a refusal carries into the sentence', () => {
    const err = new AppError(AppErrorCode.FORBIDDEN, "x may not see HU-CL's assignments", 'OTHER_UNIT', undefined, { own: 'HU-TC', unit: 'HU-CL' });
    expect(refusalText(err, vi)).toBe('đồng chí thuộc đơn vị HU-TC; việc này thuộc đơn vị HU-CL.');
    expect(inPageRefusal(err, vi)?.message).toBe('Không thực hiện được: đồng chí thuộc đơn vị HU-TC; việc này thuộc đơn vị HU-CL.');
  });

  it('names the wrong fields by their form labels, and keeps a message already in the reader’s language', () => {
    const invalid = new AppError(AppErrorCode.VALIDATION, 'Invalid input: comment must be shorter', undefined, [{ field: 'comment', reason: 'must be shorter' }]);
    expect(refusalText(invalid, vi)).toBe('dữ liệu gửi lên không hợp lệ ở mục "Ý kiến".');
    const localised = new AppError(AppErrorCode.VALIDATION, 'Mục "Ý kiến" chứa ký tự không được phép', 'UNSAFE_CHARACTER').localised();
    expect(refusalText(localised, vi)).toBe('Mục "Ý kiến" chứa ký tự không được phép');
  });

  it('falls back to the kind of refusal for a reason without its own sentence', () => {
    expect(refusalText(new AppError(AppErrorCode.CONFLICT, 'internal detail', 'SOMETHING_NEW'), en)).toBe('this can no longer be done in the present state; please reload the page.');
  });
});
