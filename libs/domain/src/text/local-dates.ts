import { DateTime } from 'luxon';

const ZONE = 'Asia/Ho_Chi_Minh';
const INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;
const DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;

/**
 * ISO dates and instants inside a text (notice subjects and bodies the workflows wrote),
 * written as readers expect them: dd/mm/yyyy, and dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh.
 * Used by the notifications page and by the e-mails, so both read the same.
 */
export function localiseDates(text: string): string {
  return text
    .replace(INSTANT, (m) => {
      const dt = DateTime.fromISO(m, { setZone: true });
      return dt.isValid ? dt.setZone(ZONE).toFormat('dd/MM/yyyy HH:mm') : m;
    })
    .replace(DATE, (_m, y: string, mo: string, d: string) => `${d}/${mo}/${y}`);
}
