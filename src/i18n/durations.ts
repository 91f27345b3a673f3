/**
 * Durations for people ("1 minute", "5 Minuten"), with the plural rules of CLDR through `Intl`, so no
 * catalogue spells out plural forms by hand.
 */
export function durationsIn(locale: string) {
  const unit = (name: 'day' | 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long' });
  const minute = unit('minute');
  const second = unit('second');
  const minutes = (count: number) => minute.format(count);
  const hour = unit('hour');
  const day = unit('day');
  return {
    minutes,
    days: (count: number) => day.format(count),
    hours: (count: number) => hour.format(count),
    /** A wait: seconds below 90, then whole minutes (rounded up). */
    wait: (totalSeconds: number) =>
      totalSeconds < 90 ? second.format(totalSeconds) : minutes(Math.ceil(totalSeconds / 60)),
  };
}

/** A count with its noun in the right plural form of CLDR's rules (`forms` holds the catalogue's words). */
export function countIn(locale: string) {
  const rules = new Intl.PluralRules(locale);
  return (count: number, forms: { one: string; other: string }) =>
    `${count} ${rules.select(count) === 'one' ? forms.one : forms.other}`;
}
