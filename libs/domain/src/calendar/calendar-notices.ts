import { addDays, type IsoDate } from './iso-date';

/**
 * Holiday groups the working calendar reasons about. A notice that settles a group for a
 * year replaces everything the generic rules would have produced for that group.
 */
export const HOLIDAY_GROUPS = ['new-year', 'tet', 'hung-kings', 'reunification', 'labour', 'national-day'] as const;
export type HolidayGroup = (typeof HOLIDAY_GROUPS)[number];

export const HOLIDAY_GROUP_NAMES: Record<HolidayGroup, string> = {
  'new-year': 'Tết Dương lịch',
  tet: 'Tết Nguyên đán',
  'hung-kings': 'Giỗ Tổ Hùng Vương (10/3 âm lịch)',
  reunification: 'Ngày Chiến thắng (30/4)',
  labour: 'Ngày Quốc tế Lao động (1/5)',
  'national-day': 'Quốc khánh (2/9)',
};

/**
 * One official notice that changes the public-servant calendar for a year: the Prime
 * Minister's decision relayed by the Government Office (Văn phòng Chính phủ) and the
 * Ministry of Labour (Bộ LĐ-TB&XH). Entries are data; add next year's notice here (or
 * pass `notices` to `createWorkingCalendar`) without touching code.
 */
export interface CalendarNotice {
  /** Stable id, e.g. `2020-tet`. */
  id: string;
  year: number;
  /** The group this notice settles for `year`; generated days of that group are dropped. */
  replaces?: HolidayGroup;
  /** Days off for public servants, weekends included where the notice lists them. */
  daysOff: { date: IsoDate; name: string }[];
  /** Make-up working days (làm bù), usually a Saturday swapped for a bridging weekday. */
  workingDays?: { date: IsoDate; name: string }[];
  /** Which document says so. */
  source: string;
}

function range(from: IsoDate, days: number, name: string): { date: IsoDate; name: string }[] {
  return Array.from({ length: days }, (_, i) => ({ date: addDays(from, i), name }));
}

/**
 * Statutory rules applied to every year without a notice for that holiday. Each cites
 * the law it comes from; the code in working-calendar.ts implements exactly these.
 */
export const VN_HOLIDAY_RULES = {
  /** A public holiday that falls on Saturday or Sunday is compensated on the next working day. */
  compensateWeekendHolidays: {
    source: 'Bộ luật Lao động 2012, Điều 115 khoản 3; Bộ luật Lao động 2019, Điều 112 khoản 3',
  },
  /** From 2021 Quốc khánh is two days: 2/9 and one adjacent day chosen each year by the Prime Minister. */
  nationalDaySecondDay: {
    fromYear: 2021,
    /** Used only for a year that has no notice yet. */
    defaultSide: 'after' as 'before' | 'after',
    source: 'Bộ luật Lao động 2019 (Luật số 45/2019/QH14), Điều 112 khoản 1 điểm đ',
  },
} as const;

/**
 * Notices for the years the seed plan and its tests touch. `date-holidays` produces the
 * statutory days; these entries say what the Government actually decided where it differs
 * (longer Tết breaks, swapped days, the chosen second day of Quốc khánh).
 */
export const VN_CALENDAR_NOTICES: readonly CalendarNotice[] = [
  {
    id: '2019-30-4-swap',
    year: 2019,
    daysOff: [{ date: '2019-04-29', name: 'Nghỉ hoán đổi dịp 30/4 – 1/5 (làm bù thứ Bảy 04/5/2019)' }],
    workingDays: [{ date: '2019-05-04', name: 'Làm bù cho ngày nghỉ hoán đổi 29/4/2019' }],
    source:
      'Văn phòng Chính phủ truyền đạt ý kiến Thủ tướng Chính phủ đồng ý đề xuất của Bộ LĐ-TB&XH (04/2019): hoán đổi nghỉ thứ Hai 29/4/2019, làm bù thứ Bảy 04/5/2019',
  },
  {
    id: '2020-tet',
    year: 2020,
    replaces: 'tet',
    daysOff: range('2020-01-23', 7, 'Nghỉ Tết Nguyên đán Canh Tý'),
    source:
      'Văn phòng Chính phủ truyền đạt ý kiến Thủ tướng Chính phủ (10/2019) đồng ý lịch nghỉ Tết Canh Tý do Bộ LĐ-TB&XH đề xuất: nghỉ từ thứ Năm 23/01/2020 đến hết thứ Tư 29/01/2020 (29 tháng Chạp Kỷ Hợi – mùng 5 tháng Giêng Canh Tý); các tỉnh thông báo lại, ví dụ Thông báo số 133/TB-UBND ngày 31/10/2019 của UBND tỉnh Đắk Lắk',
  },
  {
    id: '2021-tet',
    year: 2021,
    replaces: 'tet',
    daysOff: range('2021-02-10', 7, 'Nghỉ Tết Nguyên đán Tân Sửu'),
    source:
      'Bộ LĐ-TB&XH thông báo lịch nghỉ Tết Âm lịch 2021 theo ý kiến Thủ tướng Chính phủ: nghỉ từ thứ Tư 10/02/2021 đến hết thứ Ba 16/02/2021 (29 tháng Chạp Canh Tý – mùng 5 tháng Giêng Tân Sửu)',
  },
  {
    id: '2021-national-day',
    year: 2021,
    replaces: 'national-day',
    daysOff: [
      { date: '2021-09-02', name: 'Quốc khánh' },
      { date: '2021-09-03', name: 'Quốc khánh (ngày liền kề sau)' },
    ],
    source: 'Bộ LĐ-TB&XH thông báo lịch nghỉ Tết Âm lịch và Quốc khánh năm 2021 theo ý kiến Thủ tướng Chính phủ: nghỉ thứ Năm 02/9 và thứ Sáu 03/9/2021',
  },
  {
    id: '2022-national-day',
    year: 2022,
    replaces: 'national-day',
    daysOff: [
      { date: '2022-09-01', name: 'Quốc khánh (ngày liền kề trước)' },
      { date: '2022-09-02', name: 'Quốc khánh' },
    ],
    source: 'Bộ LĐ-TB&XH thông báo lịch nghỉ Tết Âm lịch và Quốc khánh năm 2022 theo ý kiến Thủ tướng Chính phủ: nghỉ thứ Năm 01/9 và thứ Sáu 02/9/2022',
  },
  {
    id: '2023-tet',
    year: 2023,
    replaces: 'tet',
    daysOff: range('2023-01-20', 7, 'Nghỉ Tết Nguyên đán Quý Mão'),
    source:
      'Bộ LĐ-TB&XH thông báo lịch nghỉ Tết Âm lịch 2023 theo ý kiến Thủ tướng Chính phủ: nghỉ từ thứ Sáu 20/01/2023 đến hết thứ Năm 26/01/2023 (29 tháng Chạp Nhâm Dần – mùng 5 tháng Giêng Quý Mão)',
  },
  {
    id: '2023-national-day',
    year: 2023,
    replaces: 'national-day',
    daysOff: [
      { date: '2023-09-01', name: 'Quốc khánh (ngày liền kề trước)' },
      { date: '2023-09-02', name: 'Quốc khánh' },
      { date: '2023-09-04', name: 'Nghỉ bù Quốc khánh (02/9 trùng thứ Bảy)' },
    ],
    source: 'Bộ LĐ-TB&XH thông báo lịch nghỉ Quốc khánh năm 2023 theo ý kiến Thủ tướng Chính phủ: nghỉ từ thứ Sáu 01/9 đến hết thứ Hai 04/9/2023',
  },
  {
    id: '2024-tet',
    year: 2024,
    replaces: 'tet',
    daysOff: range('2024-02-08', 7, 'Nghỉ Tết Nguyên đán Giáp Thìn'),
    source:
      'Bộ LĐ-TB&XH thông báo lịch nghỉ Tết Âm lịch 2024 theo ý kiến Thủ tướng Chính phủ: nghỉ từ thứ Năm 08/02/2024 đến hết thứ Tư 14/02/2024 (29 tháng Chạp Quý Mão – mùng 5 tháng Giêng Giáp Thìn)',
  },
  {
    id: '2024-30-4-swap',
    year: 2024,
    daysOff: [{ date: '2024-04-29', name: 'Nghỉ hoán đổi dịp 30/4 – 1/5 (làm bù thứ Bảy 04/5/2024)' }],
    workingDays: [{ date: '2024-05-04', name: 'Làm bù cho ngày nghỉ hoán đổi 29/4/2024' }],
    source: 'Công văn số 2450/VPCP-KGVX ngày 12/4/2024 của Văn phòng Chính phủ: Thủ tướng đồng ý hoán đổi nghỉ thứ Hai 29/4/2024, làm bù thứ Bảy 04/5/2024',
  },
  {
    id: '2024-national-day',
    year: 2024,
    replaces: 'national-day',
    daysOff: [
      { date: '2024-09-02', name: 'Quốc khánh' },
      { date: '2024-09-03', name: 'Quốc khánh (ngày liền kề sau)' },
    ],
    source: 'Bộ LĐ-TB&XH thông báo lịch nghỉ Quốc khánh năm 2024 theo ý kiến Thủ tướng Chính phủ: nghỉ từ thứ Bảy 31/8 đến hết thứ Ba 03/9/2024',
  },
  {
    id: '2025-30-4-swap',
    year: 2025,
    daysOff: [{ date: '2025-05-02', name: 'Nghỉ hoán đổi dịp 30/4 – 1/5 (làm bù thứ Bảy 26/4/2025)' }],
    workingDays: [{ date: '2025-04-26', name: 'Làm bù cho ngày nghỉ hoán đổi 02/5/2025' }],
    source:
      'Thông báo số 6150/TB-LĐTBXH (2024) của Bộ LĐ-TB&XH, thực hiện Công văn số 8726/VPCP-KGVX (2024) của Văn phòng Chính phủ: hoán đổi ngày làm việc thứ Sáu 02/5/2025 sang thứ Bảy 26/4/2025',
  },
  {
    id: '2025-national-day',
    year: 2025,
    replaces: 'national-day',
    daysOff: [
      { date: '2025-09-01', name: 'Quốc khánh (ngày liền kề trước)' },
      { date: '2025-09-02', name: 'Quốc khánh' },
    ],
    source: 'Thông báo số 6150/TB-LĐTBXH (2024) của Bộ LĐ-TB&XH: nghỉ Quốc khánh 2025 từ thứ Bảy 30/8 đến hết thứ Ba 02/9/2025',
  },
];
