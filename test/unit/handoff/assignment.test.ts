import { pickAgent } from '../../../src/handoff/assignment';

const agents = [
  { id: 'sari', teams: ['billing', 'frontline'] },
  { id: 'budi', teams: ['billing'] },
  { id: 'rina', teams: ['support_l2'] },
];

describe('pickAgent', () => {
  it('picks the least-loaded agent of the team', () => {
    expect(pickAgent('billing', agents, { budi: 2, sari: 1 }, 3)).toBe('sari');
    expect(pickAgent('support_l2', agents, {}, 3)).toBe('rina');
  });

  it('skips agents at capacity and returns null when everyone is full or nobody is in the team', () => {
    expect(pickAgent('billing', agents, { sari: 3, budi: 2 }, 3)).toBe('budi');
    expect(pickAgent('billing', agents, { sari: 3, budi: 3 }, 3)).toBeNull();
    expect(pickAgent('on_call', agents, {}, 3)).toBeNull();
  });

  it('breaks ties by the longest idle (never assigned first), then alphabetically', () => {
    expect(pickAgent('billing', agents, {}, 3)).toBe('budi');
    const timed = [
      { id: 'budi', teams: ['billing'], lastAssignedAt: 2_000 },
      { id: 'sari', teams: ['billing'], lastAssignedAt: 1_000 },
    ];
    expect(pickAgent('billing', timed, { budi: 1, sari: 1 }, 3)).toBe('sari');
    expect(pickAgent('billing', [...timed, { id: 'tono', teams: ['billing'] }], { budi: 1, sari: 1, tono: 1 }, 3)).toBe(
      'tono',
    );
  });
});
