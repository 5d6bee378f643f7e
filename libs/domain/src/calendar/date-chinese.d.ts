// date-chinese ships its typings outside its `exports` map, so node16 resolution cannot
// find them; this declares the part the calendar tests use to cross-check lunar dates.
declare module 'date-chinese' {
  export class CalendarVietnamese {
    fromGregorian(year: number, month: number, day: number): this;
    /** [cycle, year, month, leap, day] */
    get(): [number, number, number, boolean, number];
    set(cycle: number, year: number, month: number, leap: boolean, day: number): this;
    toGregorian(): { year: number; month: number; day: number };
  }
}
