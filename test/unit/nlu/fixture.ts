import type { TrainingExample } from '../../../src/nlu/types';

/** A small bilingual fixture: 4 intents × 8 examples (5 Indonesian, 3 English). */
const RAW: Record<string, { id: string[]; en: string[] }> = {
  store_hours: {
    id: [
      'jam buka toko brp?',
      'tokonya buka jam berapa kak',
      'hari minggu buka gak?',
      'tutup jam berapa hari ini',
      'jam operasional toko kapan aja',
    ],
    en: ['what time do you open', 'what are your opening hours', 'are you open on sunday'],
  },
  bill_mismatch: {
    id: [
      'tagihan saya tidak sesuai',
      'kok tagihan bulan ini lebih mahal',
      'tagihannya beda sama paket saya',
      'ditagih dua kali bulan ini',
      'jumlah tagihan salah min',
    ],
    en: ['my bill is wrong', 'i was charged twice this month', 'why is my bill higher than usual'],
  },
  reset_password: {
    id: [
      'lupa password akun',
      'cara reset password gmn',
      'gak bisa login lupa sandi',
      'mau ganti password akun saya',
      'password akun sy salah terus',
    ],
    en: ['i forgot my password', 'how do i reset my password', 'cannot log in to my account'],
  },
  greeting: {
    id: ['halo kak', 'selamat pagi min', 'hai admin', 'permisi kak', 'assalamualaikum'],
    en: ['hello', 'good morning', 'hi there'],
  },
};

export const FIXTURE: TrainingExample[] = Object.entries(RAW).flatMap(([intent, byLocale]) => [
  ...byLocale.id.map((text) => ({ text, intent, locale: 'id' as const })),
  ...byLocale.en.map((text) => ({ text, intent, locale: 'en' as const })),
]);

/** Paraphrases NOT in the fixture, with the intent they should rank first. */
export const HELD_OUT: [string, string][] = [
  ['toko buka sampai jam brp?', 'store_hours'],
  ['when do you open on sunday', 'store_hours'],
  ['tagihan sy kok salah ya', 'bill_mismatch'],
  ['my bill was charged twice', 'bill_mismatch'],
  ['lupa sandi akun gimana resetnya', 'reset_password'],
  ['forgot password, cannot log in', 'reset_password'],
  ['halooo kakk', 'greeting'],
  ['good morning admin', 'greeting'],
];
