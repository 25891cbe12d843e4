/**
 * "Batal": a customer waiting in the queue asks to stop waiting and go back to the bot. Only a
 * whole message counts (with polite filler around it: "batal aja kak", "cancel please"), so
 * "batal pesanan gimana?" or "cancel my order" stay questions for the bot or the agent.
 */

/** Word sequences that mean "cancel (my waiting)" on their own. */
const CANCEL_PHRASES = [
  'batal',
  'batalkan',
  'batalin',
  'dibatalkan',
  'dibatalin',
  'cancel',
  'ga jadi',
  'gak jadi',
  'nggak jadi',
  'ngga jadi',
  'enggak jadi',
  'tidak jadi',
  'gk jadi',
  'never mind',
  'nevermind',
];

/** Words that may surround the request without changing it. */
const FILLER = new Set([
  'aja',
  'saja',
  'deh',
  'dong',
  'ya',
  'yah',
  'yaa',
  'kak',
  'min',
  'mas',
  'mbak',
  'gan',
  'sis',
  'tolong',
  'mohon',
  'please',
  'pls',
  'plz',
  'ok',
  'oke',
  'sudah',
  'udah',
  'udh',
  'saya',
  'aku',
  'tiket',
  'tiketnya',
  'antrian',
  'antriannya',
  'antrean',
  'antreannya',
  'it',
  'ticket',
  'the',
  'my',
  'request',
  'thanks',
  'makasih',
]);

/**
 * Whether the whole message asks to cancel waiting: lower-cased, punctuation and emoji removed,
 * stretched letters folded ("bataaal" → "batal"), filler words dropped, and what remains is one
 * of the cancel phrases (Indonesian or English).
 */
export function isCancelRequest(text: string): boolean {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .split(/\s+/)
    .filter((w) => w.length > 0 && !FILLER.has(w));
  return words.length > 0 && CANCEL_PHRASES.includes(words.join(' '));
}
