import type { Content, IntentDef, Routing, TemplateDef } from '../../../src/content/model';
import type { Locale } from '../../../src/domain/locale';
import type { NluResult, RuleHit } from '../../../src/nlu/types';
import { majuJayaCalendar } from '../../support/calendar';

/**
 * A small hand-built `Content` for the dialogue tests: a few intents per category, the system
 * templates, and routing with one per-category threshold override (technical: answer 0.8).
 */

const source = { file: 'fixture', line: 1 };

function intent(
  id: string,
  category: string,
  action: 'answer' | 'handoff',
  label: Record<Locale, string>,
  answer?: string,
): IntentDef {
  return { id, category, action, ...(answer ? { answer } : {}), label, examples: { id: [], en: [] }, source };
}

function template(
  id: string,
  idVariants: string[],
  enVariants: string[],
  channels: TemplateDef['channels'] = {},
): TemplateDef {
  return { id, variants: { id: idVariants, en: enVariants }, channels, source };
}

const calendar = majuJayaCalendar();

function category(id: string, action: 'answer' | 'handoff', team: string, priority: number) {
  return {
    id,
    action,
    team,
    priority,
    sla: { minMinutes: 60, maxMinutes: 360, businessHours: true },
    handoffTemplate: `handoff_${id}`,
    verify: [] as string[],
    label: { id: id, en: id },
  };
}

export interface FixtureOptions {
  /** Drop the `emergency` / `complaint` categories to test the fallbacks. */
  without?: string[];
}

export function fixtureContent(options: FixtureOptions = {}): Content {
  const categories: Routing['categories'] = {
    info: category('info', 'answer', 'frontline', 4),
    billing: { ...category('billing', 'handoff', 'billing', 2), verify: ['customer_number'] },
    technical: { ...category('technical', 'handoff', 'support_l2', 2), thresholds: { answer: 0.8 } },
    complaint: category('complaint', 'handoff', 'supervisor', 1),
    emergency: category('emergency', 'handoff', 'on_call', 0),
    human: category('human', 'handoff', 'frontline', 3),
  };
  for (const id of options.without ?? []) delete categories[id];

  const routing: Routing = {
    business: {
      name: 'MAJU JAYA',
      calendar,
      hoursText: { id: 'Senin–Jumat 08.00–17.00 WIB', en: 'Monday–Friday 08:00–17:00 WIB' },
      ticketPrefix: 'MJ',
    },
    thresholds: { answer: 0.55, margin: 0.15, candidate: 0.08 },
    categories,
    teams: {},
    verificationFields: {
      customer_number: {
        id: 'customer_number',
        label: { id: 'nomor pelanggan MAJU NET (10 digit)', en: 'MAJU NET customer number (10 digits)' },
        pattern: '\\b\\d{10}\\b',
      },
    },
    humanCategory: 'human',
    reopenWindowMinutes: 30,
    source,
  };

  const intents: IntentDef[] = [
    intent('store_hours', 'info', 'answer', { id: 'Jam buka toko', en: 'Opening hours' }, 'store_hours'),
    intent('store_location', 'info', 'answer', { id: 'Lokasi toko', en: 'Store location' }, 'store_location'),
    intent('product_price', 'info', 'answer', { id: 'Harga paket internet', en: 'Internet prices' }, 'product_price'),
    intent('how_to_order', 'info', 'answer', { id: 'Cara pesan', en: 'How to order' }, 'how_to_order'),
    intent('billing_dispute', 'billing', 'handoff', { id: 'Tagihan tidak sesuai', en: 'Wrong bill' }),
    intent('reset_password', 'technical', 'answer', { id: 'Reset password', en: 'Reset password' }, 'reset_password'),
    intent('no_connection', 'technical', 'handoff', { id: 'Internet tidak nyambung', en: 'No connection' }),
    intent('complaint_service', 'complaint', 'handoff', { id: 'Keluhan layanan', en: 'Service complaint' }),
    intent('outage', 'emergency', 'handoff', { id: 'Gangguan total', en: 'Total outage' }),
  ];

  const templates = new Map<string, TemplateDef>(
    [
      template(
        'clarify_question',
        ['Maaf {{customer_name}}, maksudnya yang mana ya?'],
        ['Sorry {{customer_name}}, which one do you mean?'],
      ),
      template('clarify_other_label', ['Lainnya / petugas'], ['Other / a person']),
      template(
        'clarify_numbered_hint',
        ['Balas dengan angka 1–{{count}} ya, Kak.'],
        ['Reply with a number 1–{{count}}.'],
      ),
      template('verify_request', ['Boleh minta {{fields}}?'], ['May I have your {{fields}}?']),
      template('verify_retry', ['Sepertinya {{fields}} belum sesuai.'], ['That {{fields}} does not look right.']),
      template(
        'store_hours',
        ['Jam buka A: {{business_hours}}', 'Jam buka B: {{business_hours}}', 'Jam buka C: {{business_hours}}'],
        ['Hours A: {{business_hours}}', 'Hours B: {{business_hours}}', 'Hours C: {{business_hours}}'],
        { whatsapp: { id: ['WA: {{business_hours}}'] } },
      ),
      template(
        'csat_question',
        ['Tiket {{ticket_number}} selesai. Balas 1–5 ya, Kak.'],
        ['Ticket {{ticket_number}} is resolved. Reply 1–5.'],
      ),
      template('welcome', ['Halo {{customer_name}}!'], ['Hi {{customer_name}}!'], {
        telegram: { id: ['Halo {{customer_name}}! Ketik /agent untuk petugas.'] },
      }),
      template('help', ['Tulis pertanyaan Kakak.'], ['Type your question.']),
      template('non_text_prompt', ['Mohon ditulis, Kak.'], ['Please type it.']),
      template('command_cancelled', ['Baik, dibatalkan.'], ['Okay, stopped.']),
      template('choice_expired', ['Pilihan itu sudah tidak berlaku, Kak.'], ['That option has expired.']),
      template('store_location', ['Toko kami di Bandung.'], ['Our store is in Bandung.']),
      template('product_price', ['Paket Dasar Rp199.000.'], ['Basic plan Rp199,000.']),
      template('how_to_order', ['Pesan lewat website.'], ['Order on the website.']),
      template('reset_password', ['Cara reset password: …'], ['How to reset your password: …']),
      template(
        'greeting',
        ['Halo {{customer_name}}, selamat datang di {{business_name}}!'],
        ['Hi {{customer_name}}, welcome to {{business_name}}!'],
      ),
    ].map((t) => [t.id, t]),
  );

  return { intents, templates, routing, version: 'fixture', loadedAt: 0 };
}

/** An `NluResult` with the given ranking (best first) and safety-rule hits. */
export function nluResult(ranking: [string, number][], rules: RuleHit[] = []): NluResult {
  return {
    text: 'x',
    normalized: 'x',
    locale: 'id',
    ranking: ranking.map(([intent, confidence]) => ({ intent, confidence })),
    rules,
  };
}
