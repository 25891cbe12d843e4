/**
 * Domain concepts: a small bilingual thesaurus of the words customers use for the same thing
 * ("tagihan", "bill", "ditagih", "charged" are all BILL). Each concept becomes one extra feature
 * (`k:bill`) beside the words, so
 * - English examples (fewer in the content) learn from Indonesian ones and vice versa: "my bill
 *   is wrong" shares `k:bill` with twenty Indonesian "tagihan" examples;
 * - a synonym never seen in an intent's examples still points the right way ("angsuran" for
 *   an intent trained on "cicilan").
 *
 * Entries are normalized words (after the slang lexicon) or Indonesian/English stems; a word may
 * belong to several concepts. Multi-word entries ("flash sale", "how much") match consecutive tokens.
 * Concepts are features, not rules: the classifier learns how much each one matters per intent.
 */
// prettier-ignore
export const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  bill: [
    'tagihan', 'tagih', 'ditagih', 'bill', 'bills', 'billing', 'charged', 'charge', 'tunggakan', 'tunggak',
    'overdue', 'prorata', 'denda', 'fee', 'late fee', 'iuran', 'abonemen',
  ],
  pay: [
    'bayar', 'pembayaran', 'dibayar', 'membayar', 'pay', 'paid', 'payment', 'payments', 'paying', 'lunas',
    'transaksi', 'transaction',
  ],
  fail: [
    'gagal', 'failed', 'fail', 'failing', 'ditolak', 'tolak', 'declined', 'decline', 'rejected', 'pending',
    'tertunda', 'nyangkut', 'stuck', 'terverifikasi', 'verified', 'ditemukan', 'found', 'terpotong', 'potong',
    'deducted', 'twice', 'dua kali', 'double',
  ],
  pay_channel: [
    'qris', 'gopay', 'ovo', 'dana', 'shopeepay', 'va', 'virtual', 'transfer', 'bank', 'bca', 'bni', 'bri',
    'mandiri', 'debit', 'kartu', 'card', 'cards', 'indomaret', 'alfamart', 'cod', 'tunai', 'cash', 'ewallet',
    'e wallet', 'rekening', 'mobile banking', 'internet banking', 'atm',
  ],
  method: [
    'metode', 'method', 'methods', 'options', 'option', 'accept', 'terima', 'take', 'via', 'lewat',
    'cara',
  ],
  installment: [
    'cicil', 'cicilan', 'installment', 'installments', 'kredit', 'credit', 'angsur', 'angsuran', 'diangsur',
    'paylater', 'kredivo', 'akulaku', 'dp', 'down payment', 'uang muka', 'tenor', 'bunga', 'interest', '0 persen',
  ],
  refund: [
    'refund', 'refunded', 'money back', 'uang kembali', 'dana kembali', 'dikembalikan', 'kembali', 'uang', 'dana',
    'money', 'reimburse', 'pengembalian dana',
  ],
  return: [
    'retur', 'return', 'returns', 'tukar', 'exchange', 'dikembalikan', 'kembalikan', 'dikembaliin', 'balikin',
    'pengembalian', 'send back',
  ],
  warranty: [
    'garansi', 'warranty', 'guarantee', 'klaim', 'claim', 'servis', 'repair', 'perbaiki', 'perbaikan',
    'service center', 'jaminan',
  ],
  defect: [
    'cacat', 'rusak', 'broken', 'damaged', 'damage', 'defective', 'defect', 'pecah', 'cracked', 'crack', 'retak',
    'lecet', 'scratched', 'scratch', 'penyok', 'dented', 'bergaris', 'lines', 'salah', 'wrong', 'kurang',
    'missing', 'segel', 'unboxing', 'dus', 'box', 'baru beli', 'brand new', 'arrival', 'arrived',
  ],
  gadget: [
    'hp', 'phone', 'handphone', 'laptop', 'tv', 'charger', 'earphone', 'headset', 'mouse', 'speaker', 'powerbank',
    'power bank', 'smartwatch', 'watch', 'tablet', 'keyboard', 'baterai', 'battery', 'adaptor', 'adapter', 'kabel',
    'cable', 'tws', 'iphone', 'samsung', 'xiaomi', 'logitech', 'printer', 'monitor',
  ],
  device_fault: [
    'error', 'hang', 'nyala', 'turn on', 'mati', 'berfungsi', 'working', 'work', 'works', 'rusak',
    'restart sendiri', 'panas', 'hot', 'overheat', 'overheating', 'cas', 'ngecas', 'charge', 'charging', 'drain',
    'drains', 'habis', 'bluetooth', 'layar', 'screen', 'tombol', 'button', 'click', 'sound', 'suara', 'blank',
  ],
  cpe: [
    'router', 'modem', 'ont', 'perangkat', 'device', 'stb', 'lampu', 'light', 'los', 'pon', 'indikator', 'led',
  ],
  restart: [
    'restart', 'reboot', 'rebooted', 'direstart', 'matikan', 'dimatikan', 'dimatiin', 'nyalakan', 'cabut', 'colok',
    'unplug', 'plug', 'power cycle', 'cycle', 'reset', 'tombol', 'button', 'turn off', 'turn on', 'ulang',
  ],
  internet: [
    'internet', 'koneksi', 'connect', 'connection', 'connected', 'sinyal', 'signal', 'online', 'offline',
    'jaringan', 'network', 'net', 'wifi', 'browsing', 'internetan',
  ],
  slow_down: [
    'lambat', 'slow', 'lemot', 'down', 'putus', 'mati', 'padam', 'no internet', 'tidak ada internet', 'disconnect',
    'disconnected', 'drops', 'dropping', 'lemah', 'weak', 'speed test', 'speedtest', 'ping', 'buffering', 'rto',
    'kedip', 'blinking', 'merah', 'red',
  ],
  outage: [
    'gangguan', 'massal', 'masal', 'mass', 'outage', 'kompleks', 'perumahan', 'blok', 'gang', 'semua',
    'everyone', 'whole', 'entire', 'seluruh', 'warga', 'kecamatan', 'area', 'total',
    'cluster', 'kampung', 'rw',
    'bersamaan', 'sekitar',
  ],
  coverage: [
    'jangkauan', 'coverage', 'cover', 'covered', 'kecover', 'tercover', 'available', 'availability', 'tersedia',
    'wilayah', 'area', 'daerah', 'kota', 'city', 'tiang', 'neighbourhood', 'neighborhood', 'masuk', 'sampai',
    'reach', 'region', 'kabupaten', 'luar', 'outside',
  ],
  install: [
    'pasang', 'pemasangan', 'instalasi', 'install', 'installation', 'daftar', 'pendaftaran', 'langganan',
    'berlangganan', 'subscribe', 'sign up', 'register', 'registration', 'pasang baru', 'new connection', 'baru',
    'new', 'survey', 'survei',
  ],
  price: [
    'harga', 'price', 'prices', 'pricing', 'biaya', 'cost', 'costs', 'how much', 'berapa', 'tarif', 'rate',
    'murah', 'mahal', 'cheap', 'cheapest', 'expensive', 'fee', 'rp', 'ribu', 'juta', 'pajak', 'tax', 'ppn',
  ],
  package: [
    'paket', 'package', 'packages', 'plan', 'plans', 'mbps', 'speed', 'kecepatan', 'kencang', 'fast', 'faster',
    'dasar', 'basic', 'ultra', 'premium', 'bundling', 'kuota', 'unlimited',
  ],
  upgrade: [
    'upgrade', 'naik', 'naikkan', 'dinaikkan', 'downgrade', 'turun', 'turunkan', 'ganti paket', 'pindah paket',
    'switch', 'change plan', 'ubah paket', 'higher', 'lower', 'lebih',
  ],
  promo: [
    'promo', 'promosi', 'promotion', 'promotions', 'diskon', 'discount', 'discounts', 'voucher', 'cashback',
    'flash sale', 'sale', 'deal', 'deals', 'potongan', 'gratis', 'free', 'hemat', 'kupon', 'coupon', 'offer',
    'offers', 'bonus',
  ],
  order: [
    'order', 'orders', 'pesan', 'pesanan', 'memesan', 'pemesanan', 'beli', 'membeli', 'pembelian', 'buy', 'bought',
    'purchase', 'checkout', 'belanja', 'shopping', 'keranjang', 'cart',
  ],
  how_to: [
    'cara', 'caranya', 'bagaimana', 'how', 'langkah', 'steps', 'step', 'prosedur', 'procedure', 'panduan', 'guide',
    'tutorial', 'gimana',
  ],
  tracking: [
    'status', 'lacak', 'track', 'tracking', 'resi', 'posisi', 'where', 'di mana', 'mana', 'sampai', 'arrive',
    'arrived', 'dikirim', 'shipped', 'diproses', 'proses', 'processed', 'update', 'nomor pesanan', 'order number',
  ],
  delivery: [
    'kirim', 'pengiriman', 'dikirim', 'delivery', 'deliver', 'delivered', 'shipping', 'ship', 'shipped',
    'ongkos kirim', 'ongkos', 'courier', 'couriers', 'kurir', 'ekspedisi', 'jne', 'jnt', 'sicepat', 'anteraja',
    'same day', 'estimasi', 'estimate', 'paket', 'package', 'parcel', 'packing', 'asuransi', 'insurance',
  ],
  late: [
    'lama', 'telat', 'terlambat', 'late', 'delay', 'delayed', 'belum sampai', 'never', 'seminggu', 'week', 'weeks',
    'still', 'masih', 'nunggu', 'tunggu', 'waiting', 'wait',
  ],
  store: [
    'toko', 'store', 'shop', 'cabang', 'branch', 'outlet', 'gerai', 'showroom', 'offline',
  ],
  hours: [
    'jam', 'buka', 'tutup', 'open', 'opening', 'close', 'closed', 'closing', 'hours', 'operasional', 'libur',
    'holiday', 'holidays', 'sabtu', 'minggu', 'saturday', 'sunday', 'weekend', 'hari ini', 'today', 'jadwal',
  ],
  location: [
    'alamat', 'address', 'lokasi', 'location', 'di mana', 'where', 'maps', 'map', 'peta', 'patokan', 'titik',
    'arah', 'directions', 'jalan', 'street', 'dekat', 'near', 'nearest', 'terdekat',
  ],
  person: [
    'cs', 'admin', 'petugas', 'agen', 'agent', 'human', 'manusia', 'orang', 'operator', 'staf', 'staff', 'person',
    'someone', 'representative', 'customer service', 'asli', 'real', 'live',
  ],
  talk: [
    'bicara', 'talk', 'speak', 'chat', 'hubungkan', 'connect', 'sambung', 'sambungkan', 'telepon', 'call',
    'contact', 'alihkan', 'transfer me', 'panggil', 'panggilin', 'dilayani', 'bot', 'robot',
  ],
  service_staff: [
    'pelayanan', 'layanan', 'service', 'teknisi', 'technician', 'installer', 'kasir', 'cashier', 'sikap',
    'attitude', 'rude', 'kasar', 'jutek', 'ramah', 'sopan', 'respon', 'response', 'ignored', 'diabaikan',
    'dicuekin', 'janji', 'promised', 'mess', 'berantakan', 'komplain', 'complaint',
    'ketus', 'judes', 'galak', 'cuek', 'sombong', 'impolite', 'unhelpful', 'unprofessional', 'profesional',
    'keluhan', 'keluh', 'complain', 'lempar', 'passed around',
  ],
  anger: [
    'kecewa', 'disappointed', 'kesal', 'marah', 'angry', 'parah', 'buruk', 'terrible', 'worst', 'jelek', 'awful',
    'payah', 'unacceptable', 'puas', 'satisfied', 'memuaskan',
  ],
  greeting: [
    'halo', 'hai', 'hi', 'hello', 'hey', 'pagi', 'siang', 'sore', 'malam', 'selamat', 'morning', 'afternoon',
    'evening', 'assalamualaikum', 'permisi', 'excuse', 'punten', 'sampurasun', 'p', 'salam', 'good',
  ],
  thanks: [
    'terima kasih', 'thanks', 'thank', 'thank you', 'appreciate', 'cheers', 'nuhun', 'hatur', 'makasih', 'mantap',
    'membantu', 'helpful', 'great', 'sip', 'oke',
  ],
  goodbye: [
    'dadah', 'bye', 'goodbye', 'sampai jumpa', 'see you', 'later', 'selesai', 'cukup', 'itu saja', 'done', 'pamit',
    'nice day', 'jelas', 'talk to you later',
  ],
  hazard: [
    'asap', 'berasap', 'smoke', 'smoking', 'api', 'fire', 'terbakar', 'bakar', 'kebakaran', 'burning', 'burn',
    'gosong', 'percikan', 'sparks', 'spark', 'korsleting', 'short circuit', 'kesetrum', 'setrum', 'shock',
    'meledak', 'ledak', 'exploded', 'explode', 'bengkak', 'menggembung', 'kembung', 'swelling', 'swollen',
    'jeglek', 'listrik', 'electric', 'electrical', 'letupan', 'bunyi', 'meleleh', 'melted', 'bau', 'smell',
    'smells', 'stopkontak', 'socket', 'outlet',
    'gembung', 'gelembung', 'swell', 'bulging', 'bulge', 'melt', 'leleh',
  ],
  breach: [
    'hack', 'hacked', 'dihack', 'dibobol', 'bobol', 'bocor', 'kebocoran', 'leak', 'leaked', 'breach', 'diretas',
    'retas', 'asing', 'unknown', 'unauthorized', 'orang lain', 'someone', 'penipu', 'penipuan', 'scam', 'fraud',
    'disebar', 'permission', 'izin', 'mencurigakan', 'suspicious', 'logged',
  ],
  account: [
    'akun', 'account', 'login', 'log in', 'masuk', 'email', 'username', 'profil', 'profile', 'aplikasi', 'app',
    'website', 'otp', 'verifikasi', 'verification',
  ],
  forgot: [
    'lupa', 'forgot', 'forget', 'reset', 'recover', 'pulihkan', 'locked', 'terkunci', 'kunci', 'blokir', 'blocked',
    'ganti', 'ubah', 'change', 'new password',
  ],
  password: [
    'password', 'sandi', 'kata sandi', 'pin', 'kode',
  ],
  wifi_name: [
    'wifi', 'ssid', 'hotspot', 'nama wifi', 'wifi name', 'network name', 'batasi', 'limit', 'block', 'numpang',
    'users', 'connected devices', 'pakai wifi',
  ],
  stock: [
    'stok', 'stock', 'ready', 'tersedia', 'available', 'kosong', 'habis', 'sold out', 'restock', 'carry',
    'jual', 'sell', 'sells', 'inden', 'warna', 'color', 'colour', 'varian', 'variant', 'tipe', 'type', 'ukuran',
    'size', 'seri', 'model',
  ],
  receipt: [
    'invoice', 'nota', 'kuitansi', 'struk', 'faktur', 'receipt', 'bukti', 'proof', 'cap', 'stempel', 'stamp',
    'efaktur', 'pdf', 'cetak', 'print', 'reissue', 'copy', 'salinan', 'npwp',
  ],
  off_topic: [
    'presiden', 'president', 'cuaca', 'weather', 'puisi', 'poem', 'resep', 'recipe', 'skor', 'score', 'bola',
    'football', 'film', 'movie', 'emas', 'gold', 'zodiak', 'zodiac', 'terjemahin', 'translate', 'lelucon', 'joke',
    'story', 'cerita', 'ceritain', 'pacar', 'kereta', 'train', 'kurs', 'dollar', 'lebaran', 'piala',
    'pertandingan', 'match', 'homework', 'pr', 'matematika', 'math', 'restaurant', 'restaurants', 'makan',
    'capital', 'ibukota', 'lagu', 'song',
    'sekolah', 'school', 'tugas sekolah', 'assignment', 'kuliah', 'skripsi', 'masak', 'cook', 'cooking', 'berita', 'news',
    'politik', 'politics', 'kalender', 'calendar', 'sejarah', 'history', 'penemu', 'inventor', 'tebak', 'riddle',
  ],
};

interface Phrase {
  words: readonly string[];
  concept: string;
}

/** Entry tables: one-word entries by word, longer phrases by their first word. */
function compileConcepts(): { single: Map<string, string[]>; phrases: Map<string, Phrase[]> } {
  const single = new Map<string, string[]>();
  const phrases = new Map<string, Phrase[]>();
  for (const [concept, entries] of Object.entries(CONCEPTS)) {
    for (const entry of entries) {
      const words = entry.split(' ');
      const first = words[0] ?? '';
      if (words.length === 1) {
        const list = single.get(first) ?? [];
        if (!list.includes(concept)) list.push(concept);
        single.set(first, list);
      } else {
        const list = phrases.get(first) ?? [];
        list.push({ words, concept });
        phrases.set(first, list);
      }
    }
  }
  return { single, phrases };
}

const TABLES = compileConcepts();

/**
 * The concepts a message mentions, once each, from its normalized tokens and their stems (same
 * length and order). Sorted, so feature order never depends on word order.
 *
 * @example conceptsOf(['tagihan', 'saya', 'salah'], ['tagih', 'saya', 'salah']) // ['bill', 'defect']
 */
export function conceptsOf(tokens: readonly string[], stems: readonly string[]): string[] {
  const found = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const stem = stems[i] ?? token;
    TABLES.single.get(token)?.forEach((c) => found.add(c));
    if (stem !== token) TABLES.single.get(stem)?.forEach((c) => found.add(c));
    for (const phrase of TABLES.phrases.get(token) ?? []) {
      if (phrase.words.every((w, j) => tokens[i + j] === w)) found.add(phrase.concept);
    }
  }
  return [...found].sort();
}
