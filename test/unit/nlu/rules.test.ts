import { detectRules, toneSignal } from '../../../src/nlu/rules';
import type { SafetyRule } from '../../../src/nlu/types';

const rulesOf = (text: string): SafetyRule[] => detectRules(text).map((h) => h.rule);

const POSITIVES: [string, SafetyRule, string][] = [
  // emergency: outage
  ['jaringan putus total satu kompleks', 'emergency', 'putus total'],
  ['internet mati total dari pagi', 'emergency', 'mati total'],
  ['maju net down semua di daerah sini', 'emergency', 'down semua'],
  ['satu kompleks mati internetnya', 'emergency', 'satu kompleks mati'],
  ['jaringan putus di seluruh blok', 'emergency', 'jaringan putus'],
  ['is there an outage in my area', 'emergency', 'outage'],
  // emergency: data leak / hack
  ['ada kebocoran data di akun saya', 'emergency', 'kebocoran data'],
  ['akun saya dibobol orang', 'emergency', 'dibobol'],
  ['akun sy dihack', 'emergency', 'dihack'],
  ['data bocor, alamat sy disebar', 'emergency', 'data bocor'],
  ['my account was hacked', 'emergency', 'account was hacked'],
  ["there's a data breach on my account", 'emergency', 'data breach'],
  // emergency: danger
  ['router sy berasap', 'emergency', 'berasap'],
  ['ada kebakaran di tiang depan rumah', 'emergency', 'kebakaran'],
  ['korslet pas colok charger', 'emergency', 'korsleting'],
  ['sy kesetrum pas pegang modem', 'emergency', 'kesetrum'],
  ['the router is giving off smoke', 'emergency', 'smoke'],
  ['the charger caught fire', 'emergency', 'fire'],
  ['sparks came out of the plug', 'emergency', 'sparks'],
  ['ada kebakran di gardu', 'emergency', 'kebakaran'], // one typo tolerated
  // complaint tone: anger
  ['sy kecewa sama pelayanannya', 'complaint_tone', 'kecewa'],
  ['kesel bgt sama teknisinya', 'complaint_tone', 'kesal'],
  ['teknisinya gak becus', 'complaint_tone', 'tidak becus'],
  ['parah banget pelayanannya', 'complaint_tone', 'parah banget'],
  ['nyesel beli di sini', 'complaint_tone', 'menyesal'],
  ['payah, barangnya zonk', 'complaint_tone', 'payah'],
  ['dasar penipu', 'complaint_tone', 'penipu'],
  ['sangat kecewaa', 'complaint_tone', 'kecewa'], // typo
  ["i'm disappointed with your store", 'complaint_tone', 'disappointed'],
  ['terrible service', 'complaint_tone', 'terrible'],
  ['worst shop ever', 'complaint_tone', 'worst'],
  ['this is unacceptable', 'complaint_tone', 'unacceptable'],
  // complaint tone: demands
  ['barang cacat, saya minta ganti', 'complaint_tone', 'minta ganti'],
  ['pokoknya minta refund sekarang', 'complaint_tone', 'minta refund'],
  ['balikin duit saya', 'complaint_tone', 'kembalikan uang'],
  ['I want a refund now', 'complaint_tone', 'i want a refund'],
  ['it arrived broken, replace it', 'complaint_tone', 'replace it'],
  // complaint tone: raw tone signals
  ['kapan dikirim!!!', 'complaint_tone', '!!!'],
  ['KENAPA BELUM DIKIRIM JUGA', 'complaint_tone', 'ALL CAPS'],
  ['pesanan sy mana 🤬', 'complaint_tone', 'marah'],
  // human request
  ['mau bicara dengan cs', 'human_request', 'bicara dengan cs'],
  ['sy mau ngomong sama admin', 'human_request', 'bicara sama admin'],
  ['mau bicara dengan manusia', 'human_request', 'bicara dengan manusia'],
  ['tolong sambungkan ke admin', 'human_request', 'sambungkan ke admin'],
  ['bisa telepon cs gak', 'human_request', 'telepon cs'],
  ['bisa hubungkan ke petugas?', 'human_request', 'hubungkan ke petugas'],
  ['mau ke operator aja', 'human_request', 'operator'],
  ['operator dong', 'human_request', 'operator'],
  ['i want to talk to a human', 'human_request', 'talk to a human'],
  ['can i speak to a person', 'human_request', 'speak to a person'],
  ['connect me to an agent', 'human_request', 'connect me to an agent'],
  ['is there a real person there', 'human_request', 'real person'],
];

const NEGATIVES: [string, SafetyRule[]][] = [
  ['cara reset password', []],
  ['jam buka toko?', []],
  ['terima kasih admin', []],
  ['makasih min, sudah jelas', []],
  ['status refund saya gimana', []],
  ['refund saya sudah diproses belum?', []],
  ['bisa minta ganti kalau barangnya rusak?', []],
  ['gimana cara minta refund', []],
  ['kalau barang cacat bisa minta ganti gak?', []],
  ['when will i get my money back for the cancelled order', []],
  ['can you replace it if it breaks?', []],
  ['tolong dibantu min', []],
  ['sudah transfer ke admin tadi', []],
  ['internetnya berasa lambat', []],
  ['sudah terbayar belum ya tagihan saya', []],
  ['please fix asap', []],
  ['my order was packed yesterday', []],
  ['is there free parking at the store', []],
  ['saya tidak kecewa kok, terima kasih', []],
  ['not disappointed at all, thanks', []],
  ['wait 5 min please', []],
  ['harga paket internet berapa', []],
  ['Saya beli di MAJU JAYA kemarin', []],
];

describe('safety rules', () => {
  test.each(POSITIVES)('%j → %s (%s)', (text, rule, term) => {
    expect(detectRules(text)).toContainEqual({ rule, term });
  });

  test.each(NEGATIVES)('%j → %j', (text, expected) => {
    expect(rulesOf(text)).toEqual(expected);
  });

  test('several rules can fire at once, at most one hit each, in a fixed order', () => {
    const hits = detectRules('internet satu kompleks mati total!!! mau bicara dengan petugas');
    expect(hits.map((h) => h.rule)).toEqual(['emergency', 'complaint_tone', 'human_request']);
  });

  test('tone signals need several exclamation marks and several shouted words', () => {
    expect(toneSignal('kapan dikirim!')).toBeUndefined();
    expect(toneSignal('kapan dikirim!?!!')).toBe('!!!');
    expect(toneSignal('cek PLN dan BCA')).toBeUndefined();
    expect(toneSignal('INI GIMANA SIH ADMIN')).toBe('ALL CAPS');
    expect(toneSignal('kok gini 😡')).toBe('😡');
  });
});
