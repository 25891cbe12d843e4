/** The languages customer-facing text exists in. Indonesian first, English second. */
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** The locale used when nothing else is known about a customer. */
export const DEFAULT_LOCALE: Locale = 'id';

export function isLocale(value: unknown): value is Locale {
  return value === 'id' || value === 'en';
}
