// week.js: calendar arithmetic on the co-op's local dates ("YYYY-MM-DD"),
// shared by the rota board (rota.js) and a carer's week (calendar.js).
//
// Dates are plain local calendar days, so they are handled as UTC midnights:
// adding a day never meets a daylight-saving change.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-11-30" -> a Date at UTC midnight, or null. */
export function parseDate(value) {
  const m = DATE_RE.exec(value ?? '');
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
}

/** A Date (UTC midnight) -> "2026-11-30". */
export function formatDate(d) {
  return d.toISOString().slice(0, 10);
}

/** "2026-11-30" + n days. */
export function addDays(value, n) {
  const d = parseDate(value);
  if (!d) return '';
  d.setUTCDate(d.getUTCDate() + n);
  return formatDate(d);
}

/** 1 (Monday) .. 7 (Sunday) of a date. */
export function isoWeekday(value) {
  const d = parseDate(value);
  return d ? ((d.getUTCDay() + 6) % 7) + 1 : 0;
}

/** The Monday of the week a date falls in. */
export function mondayOf(value) {
  const wd = isoWeekday(value);
  return wd === 0 ? '' : addDays(value, 1 - wd);
}

/** The seven dates of the week starting on a Monday. */
export function weekDates(monday) {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

const shortDay = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDay = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/** "Mon 30 Nov" */
export function shortDayLabel(value) {
  const d = parseDate(value);
  return d ? shortDay.format(d) : String(value ?? '');
}

/** "Monday 30 November" */
export function longDayLabel(value) {
  const d = parseDate(value);
  return d ? longDay.format(d) : String(value ?? '');
}

/** "Mon 30 Nov 2026" */
export function fullDateLabel(value) {
  const d = parseDate(value);
  return d ? `${shortDay.format(d)} ${d.getUTCFullYear()}` : String(value ?? '');
}

/** "2026-11-30T08:15" -> {date:"2026-11-30", time:"08:15"} (or nulls). */
export function splitLocal(value) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value ?? '');
  return m ? { date: m[1], time: m[2] } : { date: null, time: null };
}

/** "08:15" + 45 -> "09:00" (wall clock; a visit across midnight wraps). */
export function endTime(hhmm, minutes) {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm ?? '');
  if (!m) return '';
  const total = (((Number(m[1]) * 60 + Number(m[2]) + Number(minutes)) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** "08:15–09:00" for a visit's local_start and minutes. */
export function timeRange(localStart, minutes) {
  const { time } = splitLocal(localStart);
  if (!time) return '';
  return `${time}–${endTime(time, minutes)}`;
}
