/**
 * PII masking: URLs, e-mail addresses and phone numbers are replaced by placeholder tokens
 * before anything else looks at the text, so they never become classifier features, never reach
 * the vocabulary of a trained model, and never show up in the normalized text the console
 * displays.
 *
 * The placeholders are plain tokens (`_url_`, `_email_`, `_phone_`) that survive the rest of the
 * normalization (punctuation removal keeps them intact), so "kirim ke email saya _email_" still
 * tells the classifier that an address was given, without the address itself.
 */

/** The placeholder tokens, by kind. */
export const PII_PLACEHOLDERS = {
  url: '_url_',
  email: '_email_',
  phone: '_phone_',
} as const;

export type PiiKind = keyof typeof PII_PLACEHOLDERS;

// Order matters: e-mails before URLs (an address contains a domain), URLs before phones (a URL
// may contain long digit runs).
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

// Explicit URLs, plus bare domains with a common TLD ("majujaya.co.id/promo").
const URL =
  /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|id|co|io|info|biz|me|app|dev|ly|gl)\b(?:\/\S*)?/giu;

// Indonesian and international phone numbers: "+62 812-3456-7890", "0812 3456 7890",
// "(021) 555-1234", "6281234567890". A candidate is a run of digits and separators that starts
// with "+", "(0", "0" or "62"; it is masked only when it holds 9–15 digits, so prices
// ("350.000"), dates ("2026-01-01"), times and short codes stay as they are.
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}])(?:\+|\(0|0|62)[\d\s().-]{6,24}\d(?![\p{L}\p{N}])/gu;

function digitCount(s: string): number {
  let n = 0;
  for (const ch of s) if (ch >= '0' && ch <= '9') n++;
  return n;
}

/**
 * Replaces e-mails, URLs and phone numbers in `text` with ` _email_ `, ` _url_ `, ` _phone_ `
 * (padded with spaces so they stay separate tokens). Everything else is left untouched.
 *
 * @example maskPii('wa saya 0812-3456-7890 ya') // 'wa saya  _phone_  ya'
 */
export function maskPii(text: string): string {
  return text
    .replace(EMAIL, ` ${PII_PLACEHOLDERS.email} `)
    .replace(URL, ` ${PII_PLACEHOLDERS.url} `)
    .replace(PHONE_CANDIDATE, (m) => {
      const digits = digitCount(m);
      return digits >= 9 && digits <= 15 ? ` ${PII_PLACEHOLDERS.phone} ` : m;
    });
}
