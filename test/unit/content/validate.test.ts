import { validateContent, contentVersion, normalizeExample, type ContentFile } from '../../../src/content/validate';
import { SYSTEM_TEMPLATES } from '../../../src/content/model';
import { edit, errorLines, errorPositions, errorsOf, fixtureFiles, intentYaml, put, remove } from './helpers';

let valid: ContentFile[];
beforeAll(async () => {
  valid = await fixtureFiles('valid');
});

describe('validateContent on the valid fixture', () => {
  it('builds the camelCase model with effective actions, defaults and sources', () => {
    const result = validateContent(valid, { now: 1234 });
    if (!result.ok) throw new Error(result.errors.map((e) => `${e.file}:${e.line} ${e.message}`).join('\n'));
    expect(result.warnings).toEqual([]);
    const { content } = result;
    expect(content.loadedAt).toBe(1234);
    expect(content.version).toMatch(/^[0-9a-f]{12}$/);
    expect(content.intents.map((i) => [i.id, i.category, i.action, i.answer])).toEqual([
      ['bill_mismatch', 'billing', 'handoff', undefined],
      ['store_hours', 'info', 'answer', 'store_hours'],
      ['talk_to_human', 'human', 'handoff', undefined],
    ]);
    const hours = content.intents.find((i) => i.id === 'store_hours')!;
    expect(hours.label).toEqual({ id: 'Jam buka toko', en: 'Opening hours' });
    expect(hours.examples.id).toHaveLength(15);
    expect(hours.examples.en[0]).toBe('what time do you open?');
    expect(hours.source).toEqual({ file: 'intents/store_hours.yaml', line: 1 });

    expect([...content.templates.keys()].sort()).toEqual(
      [...SYSTEM_TEMPLATES, 'handoff_billing', 'handoff_human', 'store_hours'].sort(),
    );
    const tpl = content.templates.get('store_hours')!;
    expect(tpl.variants.id).toHaveLength(2);
    expect(tpl.channels).toEqual({ whatsapp: { id: ['Buka {{ business_hours }} ya, Kak.'] } });
    expect(tpl.source).toEqual({ file: 'templates/answers.yaml', line: 2 });
    expect(content.templates.get('handoff_billing')!.channels).toEqual({});

    const { routing } = content;
    expect(routing.business.ticketPrefix).toBe('MJ');
    expect(routing.business.calendar.timezone).toBe('Asia/Jakarta');
    expect(routing.business.calendar.hours.fri).toEqual([
      { open: '08:00', close: '12:00' },
      { open: '13:00', close: '17:00' },
    ]);
    expect(routing.business.calendar.hours.sun).toEqual([]);
    expect(routing.business.calendar.holidays).toEqual(['2026-08-17', '2026-12-25']);
    expect(routing.business.hoursText.en).toContain('Monday');
    expect(routing.thresholds).toEqual({ answer: 0.55, margin: 0.15, candidate: 0.08 });
    expect(routing.humanCategory).toBe('human');
    expect(routing.categories.billing).toEqual({
      id: 'billing',
      action: 'handoff',
      team: 'billing',
      priority: 2,
      sla: { minMinutes: 120, maxMinutes: 240, businessHours: true },
      handoffTemplate: 'handoff_billing',
      verify: ['customer_number'],
      thresholds: { answer: 0.6 },
      label: { id: 'Tagihan', en: 'Billing' },
    });
    expect(routing.categories.info!.verify).toEqual([]);
    expect(routing.categories.info!.thresholds).toBeUndefined();
    expect(routing.teams.frontline!.where).toEqual({ id: 'di chat ini', en: 'in this chat' });
    expect(new RegExp(routing.verificationFields.customer_number!.pattern).test('12345678')).toBe(true);
  });

  it('reads team auto-assignment, capacity and the reopen window, with defaults when absent', () => {
    const defaults = validateContent(valid);
    if (!defaults.ok) throw new Error('valid fixture rejected');
    expect(defaults.content.routing.teams.billing).toMatchObject({ autoAssign: false, capacity: 3 });
    expect(defaults.content.routing.reopenWindowMinutes).toBe(30);

    const files = edit(
      valid,
      'intents/routing.yaml',
      '    where: { id: di chat ini, en: in this chat }\nverification_fields:',
      '    where: { id: di chat ini, en: in this chat }\n    auto_assign: true\n    capacity: 5\nreopen_window_minutes: 0\nverification_fields:',
    );
    const set = validateContent(files);
    if (!set.ok) throw new Error(set.errors.map((e) => e.message).join('\n'));
    expect(set.content.routing.teams.billing).toMatchObject({ autoAssign: true, capacity: 5 });
    expect(set.content.routing.teams.frontline).toMatchObject({ autoAssign: false, capacity: 3 });
    expect(set.content.routing.reopenWindowMinutes).toBe(0);

    const bad = edit(files, 'intents/routing.yaml', 'capacity: 5', 'capacity: 0');
    expect(errorLines(bad)).toEqual([expect.stringMatching(/routing\.yaml:\d+:\d+ .*must be 1 or more/)]);
  });

  it('lets an intent override its category action', () => {
    const files = edit(
      valid,
      'intents/bill_mismatch.yaml',
      'category: billing\n',
      'category: billing\naction: answer\nanswer: store_hours\n',
    );
    const result = validateContent(files);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.content.intents.find((i) => i.id === 'bill_mismatch')).toMatchObject({
        action: 'answer',
        answer: 'store_hours',
      });
  });

  it('gives equal versions to equal files, whatever their order, and a new one after an edit', () => {
    expect(contentVersion([...valid].reverse())).toBe(contentVersion(valid));
    const edited = edit(valid, 'templates/answers.yaml', 'Kami buka', 'Kami buka setiap hari');
    expect(contentVersion(edited)).not.toBe(contentVersion(valid));
  });
});

describe('YAML syntax', () => {
  it('reports a syntax error with its position', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'en: Opening hours }', 'en: Opening hours');
    const errors = errorLines(files);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^intents\/store_hours\.yaml:5:1 YAML syntax error: /);
  });

  it('reports duplicate keys at the second key', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'category: info\n', 'category: info\ncategory: billing\n');
    expect(errorLines(files)).toEqual(['intents/store_hours.yaml:3:1 YAML syntax error: Map keys must be unique']);
  });

  it('reports an empty file and a file that is not a mapping', () => {
    let files = put(valid, 'intents/store_hours.yaml', '# nothing yet\n');
    files = put(files, 'templates/answers.yaml', '- just\n- a list\n');
    const errors = errorLines(files);
    expect(errors).toContain('intents/store_hours.yaml:1:1 file is empty (expected id, category, label, examples)');
    expect(errors).toContain('templates/answers.yaml:1:1 expected a mapping of keys (templates)');
  });
});

describe('schema errors (zod) mapped to positions', () => {
  it('wrong type: points at the value', () => {
    const files = edit(valid, 'intents/routing.yaml', 'priority: 4', 'priority: high');
    expect(errorLines(files)).toEqual([
      'intents/routing.yaml:24:15 categories.info.priority: Invalid input: expected number, received string',
    ]);
  });

  it('missing key: points at the parent mapping', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'label: { id: Jam buka toko, en: Opening hours }\n', '');
    expect(errorLines(files)).toEqual(['intents/store_hours.yaml:1:1 missing required key "label"']);
    const nested = edit(valid, 'intents/routing.yaml', '    sun: []\n', '');
    expect(errorLines(nested)).toEqual(['intents/routing.yaml:6:5 business.hours: missing required key "sun"']);
  });

  it('unknown key: points at the key itself', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'category: info\n', 'category: info\nextra: 1\n');
    expect(errorLines(files)).toEqual(['intents/store_hours.yaml:3:1 unknown key "extra"']);
    const nested = edit(valid, 'templates/answers.yaml', '    channels:', '    variants: []\n    channels:');
    expect(errorLines(nested)).toEqual(['templates/answers.yaml:8:5 templates.store_hours: unknown key "variants"']);
  });

  it('label longer than 20 characters', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'en: Opening hours }', 'en: Opening hours of the shop }');
    expect(errorLines(files)).toEqual([
      'intents/store_hours.yaml:4:33 label.en: label must be at most 20 characters (WhatsApp button limit); "Opening hours of the shop" has 25',
    ]);
  });

  it('too few examples: points at the list', () => {
    const files = edit(valid, 'intents/store_hours.yaml', '    - when do you close\n', '');
    expect(errorLines(files)).toEqual([
      'intents/store_hours.yaml:23:5 examples.en: needs at least 8 English (en) examples, has 7',
    ]);
    const fewId = edit(valid, 'intents/talk_to_human.yaml', '    - ada cs manusia ga\n', '');
    expect(errorPositions(fewId)).toEqual(['intents/talk_to_human.yaml:6:5']);
  });

  it('bad id format: intent id (with the file name check) and template id (at the key)', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'id: store_hours', 'id: StoreHours');
    expect(errorLines(files)).toEqual([
      'intents/store_hours.yaml:1:5 id "StoreHours" does not match the file name "intents/store_hours.yaml" (rename the file to intents/StoreHours.yaml or fix the id)',
      'intents/store_hours.yaml:1:5 id: intent id must be snake_case (lowercase letters, digits and "_", e.g. store_hours)',
    ]);
    const tpl = edit(valid, 'templates/answers.yaml', '  store_hours:', '  Store-Hours:');
    expect(errorLines(tpl)).toEqual([
      'intents/store_hours.yaml:3:9 unknown template "store_hours": no file in templates/ defines it',
      'templates/answers.yaml:2:3 templates: "Store-Hours": template id must be snake_case (e.g. store_hours)',
    ]);
  });

  it('a missing locale in intent labels, intent examples and templates', () => {
    let files = edit(valid, 'intents/store_hours.yaml', ', en: Opening hours }', ' }');
    files = edit(files, 'templates/system.yaml', "    en: ['Sorry, which one do you mean?']\n", '');
    const talk = files.find((f) => f.path === 'intents/talk_to_human.yaml')!.text;
    files = put(files, 'intents/talk_to_human.yaml', talk.slice(0, talk.indexOf('  en:')));
    expect(errorLines(files)).toEqual([
      'intents/store_hours.yaml:4:8 label: missing locale "en": every text needs both id and en',
      'intents/talk_to_human.yaml:5:3 examples: missing locale "en": every text needs both id and en',
      'templates/system.yaml:3:5 templates.clarify_question: missing locale "en": every text needs both id and en',
    ]);
  });
});

describe('cross-file checks', () => {
  it('file name must equal the intent id', () => {
    const text = valid.find((f) => f.path === 'intents/store_hours.yaml')!.text;
    const files = put(remove(valid, 'intents/store_hours.yaml'), 'intents/opening_hours.yaml', text);
    expect(errorLines(files)).toEqual([
      'intents/opening_hours.yaml:1:5 id "store_hours" does not match the file name "intents/opening_hours.yaml" (rename the file to intents/store_hours.yaml or fix the id)',
    ]);
  });

  it('duplicate intent id across files: both definitions are reported', () => {
    const files = put(
      valid,
      'intents/store_hours.yml',
      intentYaml({ id: 'store_hours', category: 'info', answer: 'store_hours' }),
    );
    expect(errorLines(files)).toEqual([
      'intents/store_hours.yaml:1:5 intent id "store_hours" is defined more than once (also at intents/store_hours.yml:1:5)',
      'intents/store_hours.yml:1:5 intent id "store_hours" is defined more than once (also at intents/store_hours.yaml:1:5)',
    ]);
  });

  it('duplicate template id across files: both definitions are reported', () => {
    const files = put(valid, 'templates/more.yaml', 'templates:\n  store_hours:\n    id: [Halo]\n    en: [Hello]\n');
    expect(errorLines(files)).toEqual([
      'templates/answers.yaml:2:3 template "store_hours" is defined more than once (also at templates/more.yaml:2:3)',
      'templates/more.yaml:2:3 template "store_hours" is defined more than once (also at templates/answers.yaml:2:3)',
    ]);
  });

  it('the same example under two intents (after trimming, lower-casing, collapsing spaces) points at both', () => {
    expect(normalizeExample('  Jam   buka\tToko BRP? ')).toBe('jam buka toko brp?');
    const files = edit(valid, 'intents/bill_mismatch.yaml', '- tagihannya salah kak', '- "  Jam   buka toko BRP? "');
    expect(errorLines(files)).toEqual([
      'intents/bill_mismatch.yaml:11:7 example "jam buka toko brp?" also appears under intent "store_hours" (intents/store_hours.yaml:7:7); an example must belong to one intent',
      'intents/store_hours.yaml:7:7 example "jam buka toko brp?" also appears under intent "bill_mismatch" (intents/bill_mismatch.yaml:11:7); an example must belong to one intent',
    ]);
  });

  it('the same example twice in one intent is only a warning', () => {
    const files = edit(valid, 'intents/store_hours.yaml', '- when do you close', '- What time do you open?');
    const result = validateContent(files);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => `${w.file}:${w.line}:${w.col}`)).toEqual(['intents/store_hours.yaml:30:7']);
  });

  it('unknown category', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'category: info', 'category: infos');
    expect(errorLines(files)).toEqual([
      'intents/store_hours.yaml:2:11 unknown category "infos" (categories: info, billing, human)',
    ]);
    const human = edit(valid, 'intents/routing.yaml', 'human_category: human', 'human_category: people');
    expect(errorPositions(human)).toEqual(['intents/routing.yaml:18:17']);
  });

  it('unknown team', () => {
    const files = edit(valid, 'intents/routing.yaml', 'team: billing', 'team: finance');
    expect(errorLines(files)).toEqual([
      'intents/routing.yaml:30:11 unknown team "finance" (teams: frontline, billing)',
    ]);
  });

  it('unknown verification field', () => {
    const files = edit(valid, 'intents/routing.yaml', 'verify: [customer_number]', 'verify: [customer_number, ktp]');
    expect(errorLines(files)).toEqual([
      'intents/routing.yaml:34:31 unknown verification field "ktp" (verification_fields: customer_number)',
    ]);
  });

  it('missing answer template and missing handoff template', () => {
    let files = edit(valid, 'intents/store_hours.yaml', 'answer: store_hours', 'answer: opening_hours');
    files = edit(files, 'intents/routing.yaml', 'handoff_template: handoff_billing', 'handoff_template: handoff_bill');
    const result = validateContent(files);
    expect(errorsOf(result).map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toEqual([
      'intents/routing.yaml:33:23 unknown template "handoff_bill": no file in templates/ defines it',
      'intents/store_hours.yaml:3:9 unknown template "opening_hours": no file in templates/ defines it',
    ]);
    // The templates nobody names any more are reported separately, as warnings.
    expect(result.warnings.map((w) => `${w.file}:${w.line}:${w.col}`)).toEqual([
      'templates/answers.yaml:2:3',
      'templates/handoff.yaml:2:3',
    ]);
  });

  it('a missing system template', () => {
    const files = edit(valid, 'templates/system.yaml', '  verify_retry:\n', '  verify_retry_old:\n');
    const result = validateContent(files);
    expect(errorsOf(result).map((e) => `${e.file}:${e.line}:${e.col} ${e.message}`)).toEqual([
      'templates/:1:1 missing system template "verify_retry" (the engine sends it; define it in any templates/*.yaml)',
    ]);
    // The renamed copy is used by nobody: a warning, and no "not available" errors for {{ fields }}.
    expect(result.warnings.map((w) => `${w.file}:${w.line}:${w.col}`)).toEqual(['templates/system.yaml:14:3']);
  });

  it('an answer given for a handoff intent', () => {
    const files = edit(
      valid,
      'intents/bill_mismatch.yaml',
      'category: billing\n',
      'category: billing\nanswer: store_hours\n',
    );
    expect(errorLines(files)).toEqual([
      'intents/bill_mismatch.yaml:3:9 intent "bill_mismatch" is handed off (category "billing" has action handoff), so it must not have an answer; remove "answer" or set action: answer',
    ]);
    const own = edit(valid, 'intents/store_hours.yaml', 'category: info\n', 'category: info\naction: handoff\n');
    expect(errorPositions(own)).toEqual(['intents/store_hours.yaml:4:9']);
  });

  it('an answered intent without an answer template', () => {
    const files = edit(valid, 'intents/store_hours.yaml', 'answer: store_hours\n', '');
    expect(errorLines(files)).toEqual([
      'intents/store_hours.yaml:1:1 intent "store_hours" is answered by the bot (category "info" has action answer) but has no "answer" template',
    ]);
    const override = edit(
      valid,
      'intents/talk_to_human.yaml',
      'category: human\n',
      'category: human\naction: answer\n',
    );
    expect(errorLines(override)).toEqual([
      'intents/talk_to_human.yaml:1:1 intent "talk_to_human" is answered by the bot (its action is answer) but has no "answer" template',
    ]);
  });
});

describe('template variables', () => {
  it('a variable no code provides', () => {
    const files = edit(valid, 'templates/answers.yaml', '{{business_hours}}', '{{ discount }}');
    expect(errorLines(files)).toEqual([
      'templates/answers.yaml:5:20 template "store_hours" uses {{discount}}, which no code provides (variables: customer_name, business_name, business_hours, team, team_where, sla, reply_by, ticket_number, fields, count, next_opening)',
    ]);
  });

  it('a variable not available to the kind of template (answer, channel override, handoff, system)', () => {
    let files = edit(valid, 'templates/answers.yaml', 'Halo {{ customer_name }}', 'Halo {{ ticket_number }}');
    files = edit(files, 'templates/answers.yaml', 'Buka {{ business_hours }}', 'Buka {{ team }}');
    files = edit(
      files,
      'templates/handoff.yaml',
      "Ticket: {{ ticket_number }}.'\n  handoff_human",
      "Ticket: {{ count }}.'\n  handoff_human",
    );
    files = edit(files, 'templates/system.yaml', 'Coba lagi', '{{ team }} Coba lagi');
    expect(errorLines(files)).toEqual([
      'templates/answers.yaml:4:15 template "store_hours" uses {{ticket_number}}, which is not available in answer templates (available: customer_name, business_name, business_hours)',
      'templates/answers.yaml:10:20 template "store_hours" uses {{team}}, which is not available in answer templates (available: customer_name, business_name, business_hours)',
      'templates/handoff.yaml:6:103 template "handoff_billing" uses {{count}}, which is not available in handoff templates (available: customer_name, business_name, business_hours, team, team_where, sla, reply_by, ticket_number)',
      'templates/system.yaml:15:59 template "verify_retry" uses {{team}}, which is not available in the system template "verify_retry" (available: customer_name, business_name, business_hours, fields)',
    ]);
  });

  it('an unclosed {{ and a malformed placeholder', () => {
    let files = edit(valid, 'templates/answers.yaml', '{{business_hours}}, Kak.', '{{business_hours, Kak.');
    files = edit(files, 'templates/handoff.yaml', 'Sure, {{ team }}', 'Sure, {{ the team }}');
    expect(errorLines(files)).toEqual([
      'templates/answers.yaml:5:20 template "store_hours" has "{{" without a closing "}}"',
      'templates/handoff.yaml:9:17 template "handoff_human" has an invalid variable {{ the team }} (expected {{ name }} with a lowercase name)',
    ]);
  });
});

describe('routing values', () => {
  it.each([
    [
      'timezone',
      'timezone: Asia/Jakarta',
      'timezone: Asia/Jakartaa',
      'intents/routing.yaml:4:13 business.timezone: unknown time zone "Asia/Jakartaa" (expected an IANA zone such as Asia/Jakarta)',
    ],
    [
      'hours format',
      "mon: ['08:00-17:00']",
      "mon: ['8-17']",
      'intents/routing.yaml:6:11 business.hours.mon[0]: expected "HH:MM-HH:MM" (24-hour clock), e.g. "08:00-17:00"',
    ],
    [
      'hours order',
      "sat: ['08:00-13:00']",
      "sat: ['13:00-08:00']",
      'intents/routing.yaml:11:11 business.hours.sat[0]: opening time must be before closing time',
    ],
    [
      'hours overlap',
      "'08:00-12:00', '13:00-17:00'",
      "'08:00-12:00', '11:00-17:00'",
      'intents/routing.yaml:10:10 business.hours.fri: opening ranges of one day must not overlap',
    ],
    [
      'holiday',
      "'2026-08-17'",
      "'2026-02-30'",
      'intents/routing.yaml:13:14 business.holidays[0]: not a real calendar date',
    ],
    [
      'regex',
      'pattern: "^\\\\d{8,12}$"',
      'pattern: "^(\\\\d{8,12}$"',
      'intents/routing.yaml:53:14 verification_fields.customer_number.pattern: not a valid regular expression: Invalid regular expression: /^(\\d{8,12}$/: Unterminated group',
    ],
    [
      'threshold',
      'answer: 0.55',
      'answer: 1.5',
      'intents/routing.yaml:17:23 thresholds.answer: must be between 0 and 1',
    ],
    [
      'sla order',
      'max_minutes: 240',
      'max_minutes: 60',
      'intents/routing.yaml:32:43 categories.billing.sla.max_minutes: max_minutes must be at least min_minutes',
    ],
    [
      'ticket prefix',
      'ticket_prefix: MJ',
      'ticket_prefix: mj',
      'intents/routing.yaml:3:18 business.ticket_prefix: ticket_prefix must be 1–5 capital letters, e.g. MJ',
    ],
  ])('invalid %s', (_name, from, to, expected) => {
    expect(errorLines(edit(valid, 'intents/routing.yaml', from, to))).toEqual([expected]);
  });
});

describe('files and directories', () => {
  it('a missing intents/routing.yaml', () => {
    expect(errorLines(remove(valid, 'intents/routing.yaml'))).toEqual([
      'intents/routing.yaml:1:1 missing file: the routing (business, categories, teams) must be in intents/routing.yaml',
    ]);
  });

  it('empty directories', () => {
    expect(errorLines([])).toEqual([
      'intents/:1:1 no intent files: add one intents/<intent_id>.yaml per intent',
      'intents/routing.yaml:1:1 missing file: the routing (business, categories, teams) must be in intents/routing.yaml',
      'templates/:1:1 no template files: add templates/<topic>.yaml with a `templates:` mapping',
    ]);
  });

  it('a file outside intents/ and templates/', () => {
    expect(errorLines(put(valid, 'intents/old/store_hours.yaml', 'id: x\n'))).toEqual([
      'intents/old/store_hours.yaml:1:1 not a content file (expected intents/*.yaml or templates/*.yaml)',
    ]);
  });
});

describe('warnings', () => {
  it('a template no intent or category uses is a warning, not an error', () => {
    const files = put(
      valid,
      'templates/extra.yaml',
      '# spare\ntemplates:\n  spare_tip:\n    id: [Tips]\n    en: [Tip]\n',
    );
    const result = validateContent(files);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      {
        file: 'templates/extra.yaml',
        line: 3,
        col: 3,
        message: 'template "spare_tip" is never used (no intent answers with it and no category hands off with it)',
      },
    ]);
  });

  it('an unused template may use any variable the code provides, but not an unknown one', () => {
    const ok = put(
      valid,
      'templates/extra.yaml',
      'templates:\n  spare:\n    id: ["Tiket {{ ticket_number }}"]\n    en: [Ticket]\n',
    );
    expect(validateContent(ok).ok).toBe(true);
    const bad = put(
      valid,
      'templates/extra.yaml',
      'templates:\n  spare:\n    id: ["Tiket {{ ticket_no }}"]\n    en: [Ticket]\n',
    );
    expect(errorPositions(bad)).toEqual(['templates/extra.yaml:3:17']);
  });
});
