import type { Locale } from './locales';

/**
 * Intl formatters in the reader's locale and time zone. Building an Intl formatter costs far
 * more than using one, so each (locale, zone, style) is built once per process.
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  key: string,
  create: () => T,
): T {
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) {
    formatter = create();
    cache.set(key, formatter);
  }
  return formatter;
}

export type DateStyle = 'date' | 'dateTime' | 'time' | 'weekdayDate';

const dateOptions: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  time: { timeStyle: 'short' },
  weekdayDate: { weekday: 'long', day: 'numeric', month: 'long' },
};

export type Formatter = ReturnType<typeof createFormatter>;

export function createFormatter(locale: Locale, timeZone: string) {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  return {
    locale,
    timeZone: zone,
    date(value: Date | string, style: DateStyle = 'date'): string {
      return cached(
        `d|${locale}|${zone}|${style}`,
        () => new Intl.DateTimeFormat(locale, { ...dateOptions[style], timeZone: zone }),
      ).format(new Date(value));
    },
    /** A calendar day ("2026-12-01", a due date) as written in the reader's language: a day has no time zone. */
    day(isoDay: string, style: 'date' | 'weekdayDate' = 'date'): string {
      return cached(
        `day|${locale}|${style}`,
        () => new Intl.DateTimeFormat(locale, { ...dateOptions[style], timeZone: 'UTC' }),
      ).format(new Date(`${isoDay}T00:00:00Z`));
    },
    number(value: number, options: Intl.NumberFormatOptions = {}): string {
      return cached(
        `n|${locale}|${JSON.stringify(options)}`,
        () => new Intl.NumberFormat(locale, options),
      ).format(value);
    },
    bytes(value: number): string {
      const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
      let unit = 0;
      let amount = value;
      while (amount >= 1024 && unit < units.length - 1) {
        amount /= 1024;
        unit++;
      }
      return cached(
        `b|${locale}|${unit}`,
        () =>
          new Intl.NumberFormat(locale, {
            style: 'unit',
            unit: units[unit],
            unitDisplay: 'short',
            maximumFractionDigits: unit === 0 ? 0 : 1,
          }),
      ).format(amount);
    },
    /** "3 minutes ago", "in 2 days": the largest unit that fits. */
    relative(value: Date | string, now: Date = new Date()): string {
      const seconds = Math.round((new Date(value).getTime() - now.getTime()) / 1000);
      const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
        ['second', 60],
        ['minute', 60],
        ['hour', 24],
        ['day', 7],
        ['week', 4.345],
        ['month', 12],
        ['year', Infinity],
      ];
      let amount = seconds;
      for (const [unit, size] of steps) {
        if (Math.abs(amount) < size) {
          return cached(
            `r|${locale}`,
            () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }),
          ).format(Math.round(amount), unit);
        }
        amount /= size;
      }
      return '';
    },
    /** The calendar date (YYYY-MM-DD) of an instant in the reader's zone: for "today" and date inputs. */
    isoDate(value: Date | string): string {
      return cached(
        `iso|${zone}`,
        () =>
          new Intl.DateTimeFormat('en-CA', {
            timeZone: zone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
          }),
      ).format(new Date(value));
    },
  };
}

const knownZones = new Map<string, boolean>();

/** Whether Intl knows this zone; asked on every page, so the answer is remembered. */
export function isTimeZone(value: string): boolean {
  let known = knownZones.get(value);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(value, known);
  }
  return known;
}

export const timeZones: readonly string[] = Intl.supportedValuesOf('timeZone');
