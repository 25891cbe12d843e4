import { isCancelRequest } from '../../../src/dialogue/cancel';

describe('isCancelRequest', () => {
  it.each([
    'batal',
    'Batal!',
    'BATAAAL',
    'batal aja kak',
    'batalkan tiketnya',
    'gak jadi deh',
    'cancel',
    'Cancel please',
    'never mind',
  ])('%j cancels waiting', (text) => {
    expect(isCancelRequest(text)).toBe(true);
  });

  it.each(['batal pesanan gimana?', 'cancel my order', 'cara membatalkan langganan', 'jadi gimana kak?', 'kak', ''])(
    '%j is a message, not a cancel',
    (text) => {
      expect(isCancelRequest(text)).toBe(false);
    },
  );
});
