// Sample data for the preview build, shaped as the hubs and the admin API send it.
const now = Date.now();
const ago = (s) => new Date(now - s * 1000).toISOString();
const q = new URLSearchParams(location.search);

const pop = {
  callId: 'c-20261201-0042', agent: '1001', caller: '13800000003', dialed: '95500', offeredAt: ago(14),
  name: '王建国', tier: 'Gold', maskedAccount: '8800****6621', accountManager: '1004', accountManagerName: '李静',
  language: 'zh', branch: '上海浦东营业部', queue: 'stocks', waitSeconds: 37,
  ivrPath: [{ node: 'language', keys: '1' }, { node: 'main', keys: '2' }, { node: 'verify', keys: '******' }, { node: 'stocks', keys: '3' }],
  recent: [
    { callId: 'c1', at: ago(86400 * 2), agent: '1002', disposition: 'answered', wrapUpCode: 'QUERY', wrapUpNotes: '查询融资融券额度', talkSeconds: 184 },
    { callId: 'c2', at: ago(86400 * 9), agent: '1004', disposition: 'answered', wrapUpCode: 'COMPLAINT', wrapUpNotes: '交易系统延迟投诉，已升级', talkSeconds: 422 },
    { callId: 'c3', at: ago(86400 * 15), agent: null, disposition: 'abandoned', wrapUpCode: null, wrapUpNotes: null, talkSeconds: 0 },
  ],
};

const state = q.get('state') ?? 'onCall';
const callState = q.get('call') ?? 'talking';
const codes = [
  { code: 'QUERY', labelZh: '业务咨询', labelEn: 'Enquiry' },
  { code: 'TRADE', labelZh: '交易协助', labelEn: 'Trading help' },
  { code: 'COMPLAINT', labelZh: '投诉', labelEn: 'Complaint' },
  { code: 'ACCOUNT', labelZh: '账户变更', labelEn: 'Account change' },
];

const history = [1, 2, 3, 4, 5].map((i) => ({
  id: `c-${i}`, caller: `1380000000${i}`, dialed: '95500', tier: ['Diamond', 'Platinum', 'Gold', 'Quality', null][i - 1],
  startedAt: ago(i * 1900), waitSeconds: 8 * i, talkSeconds: 95 * i, disposition: 'answered', wrapUpCode: codes[i % 4].code,
}));

const names = { 1001: '赵敏', 1002: '钱伟', 1003: '孙丽', 1004: '李静', 1005: '周强', 1006: '吴芳' };
const agentRows = [
  ['1001', 'onCall', null, 75, 'c-42', '13800000003'], ['1002', 'available', null, 320, null, null], ['1003', 'wrapUp', null, 12, null, null],
  ['1004', 'onCall', null, 510, 'c-43', '13800000001'], ['1005', 'break', 'lunch', 1260, null, null], ['1006', 'offline', null, 7200, null, null],
];

function intervals() {
  const start = new Date(now);
  start.setHours(8, 30, 0, 0);
  return Array.from({ length: 36 }, (_, i) => {
    const offered = Math.round(20 + 25 * Math.sin(i / 6) ** 2 + (i % 5));
    const abandoned = Math.round(offered * (0.02 + 0.05 * Math.sin(i / 4) ** 2));
    return { start: new Date(start.getTime() + i * 900_000).toISOString(), offered, answered: offered - abandoned, abandoned, serviceLevel: 0.72 + 0.25 * Math.cos(i / 5) ** 2 };
  });
}

export const sample = {
  wallboard: () => ({
    at: new Date().toISOString(),
    queues: [
      { id: 'vip', waiting: 2, waitingByTier: { Diamond: 1, Gold: 1 }, longestWaitSeconds: 42, agentsAvailable: 0, offered: 214, answered: 205, abandoned: 3, serviceLevel: 0.934 },
      { id: 'stocks', waiting: 5, waitingByTier: { Platinum: 1, Quality: 2, ordinary: 2 }, longestWaitSeconds: 96, agentsAvailable: 1, offered: 680, answered: 631, abandoned: 31, serviceLevel: 0.781 },
      { id: 'futures', waiting: 0, waitingByTier: {}, longestWaitSeconds: 0, agentsAvailable: 1, offered: 302, answered: 296, abandoned: 4, serviceLevel: 0.952 },
      { id: 'general', waiting: 1, waitingByTier: { Effective: 1 }, longestWaitSeconds: 15, agentsAvailable: 1, offered: 415, answered: 398, abandoned: 11, serviceLevel: null },
    ],
    agentsByState: { available: 1, onCall: 2, wrapUp: 1, break: 1, offline: 1 },
    agents: agentRows.map(([id, st, reason, since, callId, caller]) => ({ id, name: names[id], state: st, reason, since: ago(since), registered: st !== 'offline', callId, caller })),
    intervals: intervals(),
    callbacks: [{ queue: 'general', dueNow: 1, later: 2, calling: 0, overdue: 0 }, { queue: 'vip', dueNow: 0, later: 1, calling: 1, overdue: 1 }],
    faxTasks: { new: 3, oldestAt: ago(2 * 3600 + 540) },
  }),
  hubs: {
    '/hubs/agent': {
      current: () => ({
        agent: { id: '1001', state, registered: true, since: ago(state === 'wrapUp' ? 8 : 75), reason: null, callId: 'c-20261201-0042' },
        pop: state === 'available' ? null : pop,
        call: state === 'available' ? null : { callId: pop.callId, agent: '1001', state: callState, since: ago(61), detail: callState === 'consulting' ? '咨询 1004 · consulting 1004' : null },
        dispositionCodes: codes,
        wrapUpSeconds: 30,
      }),
      history: () => history,
    },
    '/hubs/wallboard': {
      snapshot: () => sample.wallboard(),
      waitingCallbacks: () => [
        { id: 'cb-1', maskedNumber: '139****0051', queue: 'vip', at: ago(-1800), nextAttemptAt: null, status: 'scheduled', attempts: 0, owner: '1002', source: 'wallboard', requestedBy: 'super', requestedAt: ago(600) },
        { id: 'cb-2', maskedNumber: '138****0007', queue: 'general', at: null, nextAttemptAt: null, status: 'queued', attempts: 0, owner: null, source: 'queue-key', requestedBy: null, requestedAt: ago(300) },
        { id: 'cb-3', maskedNumber: '137****1234', queue: 'general', at: ago(-7200), nextAttemptAt: null, status: 'scheduled', attempts: 0, owner: null, source: 'api', requestedBy: 'api-key', requestedAt: ago(900) },
      ],
    },
  },
};
