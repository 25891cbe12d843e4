import { CONCEPTS, conceptsOf } from '../../../src/nlu/concepts';

describe('conceptsOf', () => {
  test('Indonesian and English words of the same thing share a concept', () => {
    expect(conceptsOf(['tagihan'], ['tagih'])).toContain('bill');
    expect(conceptsOf(['bill'], ['bill'])).toContain('bill');
  });

  test('stems match too: "tagihannya" → stem "tagih"', () => {
    expect(conceptsOf(['tagihannya'], ['tagih'])).toContain('bill');
  });

  test('multi-word entries need consecutive tokens', () => {
    expect(conceptsOf(['flash', 'sale'], ['flash', 'sale'])).toContain('promo');
    expect(conceptsOf(['talk', 'to', 'you', 'later'], ['talk', 'to', 'you', 'later'])).toContain('goodbye');
    expect(conceptsOf(['talk', 'to', 'a', 'human'], ['talk', 'to', 'a', 'human'])).not.toContain('goodbye');
  });

  test('swollen batteries and melting plugs are hazards; a cluster is an outage, blocking an account is not', () => {
    expect(conceptsOf(['baterai', 'menggelembung'], ['baterai', 'gelembung'])).toContain('hazard');
    expect(conceptsOf(['battery', 'is', 'bulging'], ['batteri', 'is', 'bulg'])).toContain('hazard');
    expect(conceptsOf(['charger', 'meleleh'], ['charger', 'leleh'])).toContain('hazard');
    expect(conceptsOf(['please', 'block', 'my', 'account'], ['pleas', 'block', 'my', 'account'])).not.toContain(
      'outage',
    );
    expect(conceptsOf(['satu', 'cluster', 'mati'], ['satu', 'cluster', 'mati'])).toContain('outage');
  });

  test('words for rude or unhelpful staff and for complaints are service complaints', () => {
    expect(conceptsOf(['admin', 'judes'], ['admin', 'judes'])).toContain('service_staff');
    expect(conceptsOf(['staff', 'were', 'unhelpful'], ['staff', 'were', 'unhelp'])).toContain('service_staff');
    expect(conceptsOf(['keluhan', 'saya'], ['keluh', 'saya'])).toContain('service_staff');
    expect(conceptsOf(['passed', 'around'], ['pass', 'around'])).toContain('service_staff');
  });

  test('generic words are not domain concepts: "ada", "sampai", "pakai", "on" say nothing about the topic', () => {
    expect(conceptsOf(['ada', 'biaya', 'instalasi'], ['ada', 'biaya', 'instalasi'])).not.toContain('stock');
    expect(conceptsOf(['sampai', 'ketemu', 'lagi'], ['sampai', 'ketemu', 'lagi'])).not.toContain('defect');
    expect(conceptsOf(['bisa', 'pakai', 'gosend'], ['bisa', 'pakai', 'gosend'])).not.toContain('method');
    expect(conceptsOf(['are', 'you', 'on', 'shopee'], ['are', 'you', 'on', 'shopee'])).not.toContain('restart');
    expect(conceptsOf(['turn', 'on', 'the', 'modem'], ['turn', 'on', 'the', 'modem'])).toContain('restart');
  });

  test('homework, cooking and news are off topic; "petugas" (stem "tugas") is not', () => {
    expect(conceptsOf(['bantu', 'tugas', 'sekolah'], ['bantu', 'tugas', 'sekolah'])).toContain('off_topic');
    expect(conceptsOf(['how', 'do', 'i', 'cook', 'rendang'], ['how', 'do', 'i', 'cook', 'rendang'])).toContain(
      'off_topic',
    );
    expect(conceptsOf(['hubungkan', 'ke', 'petugas'], ['hubung', 'ke', 'tugas'])).not.toContain('off_topic');
  });

  test('gaming is not off topic: high ping in a game is an internet problem', () => {
    const tokens = ['ping', 'tinggi', 'banget', 'untuk', 'main', 'game'];
    const found = conceptsOf(tokens, tokens);
    expect(found).not.toContain('off_topic');
    expect(found).toContain('slow_down');
  });

  test('a weekday or a number of days is not a delay; "pak rt" is not an outage; "hubungi lagi" is not asking for a person', () => {
    const sunday = ['hari', 'minggu', 'ada', 'pengiriman'];
    expect(conceptsOf(sunday, sunday)).not.toContain('late');
    expect(conceptsOf(sunday, sunday)).toContain('hours');
    const days = ['how', 'many', 'days', 'to', 'ship'];
    expect(conceptsOf(days, days)).not.toContain('late');
    expect(conceptsOf(['udah', 'seminggu', 'telat'], ['udah', 'minggu', 'telat'])).toContain('late');
    expect(conceptsOf(['nomor', 'pak', 'rt'], ['nomor', 'pak', 'rt'])).not.toContain('outage');
    expect(conceptsOf(['satu', 'rw', 'mati'], ['satu', 'rw', 'mati'])).toContain('outage');
    expect(conceptsOf(['nanti', 'saya', 'hubungi', 'lagi'], ['nanti', 'saya', 'hubung', 'lagi'])).not.toContain('talk');
    expect(conceptsOf(['can', 'someone', 'call', 'me'], ['can', 'someon', 'call', 'me'])).toContain('talk');
  });

  test('each concept once, sorted', () => {
    const found = conceptsOf(['tagihan', 'bill', 'tagihan'], ['tagih', 'bill', 'tagih']);
    expect(found).toEqual([...new Set(found)].sort());
  });

  test('entries are lower-case normalized words', () => {
    const bad = Object.values(CONCEPTS)
      .flat()
      .filter((e) => !/^[a-z0-9]+( [a-z0-9]+)*$/.test(e));
    expect(bad).toEqual([]);
  });
});
