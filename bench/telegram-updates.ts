/**
 * The updates `bench/telegram.ts` posts: realistic private-chat messages, deterministic per chat
 * and round, so every run (and both bots) gets the same traffic. Indonesian and English FAQ
 * questions, small talk, `/start`, and 1 chat in 20 that asks for a person and keeps writing while
 * it waits (those messages go to the ticket; the bot stays silent, so no reply is expected).
 */

const ID_FAQ = [
  'jam buka toko brp kak?',
  'hari minggu buka gak?',
  'alamat toko maju jaya dimana ya',
  'bisa bayar pakai qris ga?',
  'metode pembayaran apa aja kak',
  'ongkir ke bandung berapa ya',
  'pesanan saya sudah sampai mana ya',
  'cara order gimana min',
  'ada promo apa bulan ini?',
  'kalau barang rusak bisa dikembalikan?',
  'garansi berapa lama kak',
  'paket internet 50 mbps harganya berapa',
  'cara ganti password wifi gimana',
  'stok kulkas 2 pintu masih ada?',
];
const EN_FAQ = [
  'what time do you open?',
  'where is your store located',
  'which payment methods do you accept',
  'how much is shipping to surabaya',
  'where is my order',
  'how do I place an order',
  'any promos this month?',
  'what is your return policy',
  'how long is the warranty',
  'how do I change my wifi password',
];
const ID_SMALL_TALK = ['halo kak', 'selamat pagi min', 'makasih ya kak', 'oke siap, terima kasih'];
const EN_SMALL_TALK = ['hi there', 'good morning', 'thanks a lot', 'ok thank you'];
const HANDOFF = {
  id: ['mau bicara dengan petugas', '/agent', 'tolong hubungkan ke cs manusia'],
  en: ['I want to talk to a human', '/agent', 'can I speak to an agent please'],
};
const FOLLOW_UP = { id: 'halo kak, masih nunggu ya', en: 'hello, still waiting here' };
const NAMES = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rina', 'Andi', 'Putri', 'Joko', 'Maya', 'Kevin'];

/** Which of a phase's chats ask for a person, on their second message: 1 in 20, English and Indonesian. */
export const handsOff = (chat: number) => chat % 40 === 1 || chat % 40 === 7;
/** Three in ten chats use an English-language Telegram app. */
export const localeOf = (chat: number): 'id' | 'en' => (chat % 10 < 3 ? 'en' : 'id');

/**
 * The `round`-th message of chat `chat` (0-based): a third of chats open with /start, then FAQ
 * questions with some small talk; handoff chats ask for a person at round 1 and keep writing (those
 * messages go to the ticket, and the bot stays silent).
 */
export function textFor(chat: number, round: number): { text: string; expectReply: boolean } {
  const locale = localeOf(chat);
  if (handsOff(chat) && round === 1) return { text: HANDOFF[locale][chat % 3]!, expectReply: true };
  if (handsOff(chat) && round > 1) return { text: FOLLOW_UP[locale], expectReply: false };
  if (round === 0 && chat % 3 === 0) return { text: '/start', expectReply: true };
  const faq = locale === 'id' ? ID_FAQ : EN_FAQ;
  const talk = locale === 'id' ? ID_SMALL_TALK : EN_SMALL_TALK;
  const pick = chat * 7 + round * 13;
  const text = pick % 6 === 5 ? talk[pick % talk.length]! : faq[pick % faq.length]!;
  return { text, expectReply: true };
}

export function updateFor(updateId: number, chatId: number, chat: number, round: number, text: string): string {
  const from = {
    id: chatId,
    is_bot: false,
    first_name: NAMES[chat % NAMES.length],
    ...(chat % 2 ? { username: `user${chat}` } : {}),
    language_code: localeOf(chat),
  };
  return JSON.stringify({
    update_id: updateId,
    message: {
      message_id: round + 1,
      from,
      chat: { id: chatId, first_name: from.first_name, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.length, type: 'bot_command' }] } : {}),
    },
  });
}
