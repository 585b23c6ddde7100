// A static preview of the pages with sample data (dev/sample.js) instead of the hubs and the
// admin API, for looking at them without a platform: node dev/preview.mjs /tmp/preview, then serve
// that folder (python3 -m http.server) and open /desk/, /desk/wallboard/, /desk/admin/, /desk/broadcasts/.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageHtml } from '../pages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, '..');
const out = process.argv[2] ?? '/tmp/desk-preview';
const meta = (role) => `<meta name="desk-login" content="${role === 'agent' ? '1001' : role}"><meta name="desk-role" content="${role}"><meta name="desk-agent" content="1001"><meta name="desk-antiforgery" content="preview">\n`;

for (const [page, dir, role] of [['desk', 'desk', 'agent'], ['wallboard', 'desk/wallboard', 'supervisor'], ['admin', 'desk/admin', 'admin'], ['broadcasts', 'desk/broadcasts', 'supervisor']]) {
  mkdirSync(join(out, dir), { recursive: true });
  const html = pageHtml(page).replace('</head>', meta(role) + '</head>');
  writeFileSync(join(out, dir, 'index.html'), html);
}

const admin = {
  agents: [
    { extension: '1001', name: '赵敏', skills: ['zh', 'en', 'stocks'], kind: 'agent' },
    { extension: '1002', name: '钱伟', skills: ['zh', 'futures'], kind: 'agent' },
    { extension: '1004', name: '李静', skills: ['zh', 'stocks', 'vip'], kind: 'agent' },
    { extension: '1900', name: '班长 王', skills: [], kind: 'supervisor' },
  ],
  'disposition-codes': [
    { code: 'QUERY', labelZh: '业务咨询', labelEn: 'Enquiry', active: true, sortOrder: 10 },
    { code: 'TRADE', labelZh: '交易协助', labelEn: 'Trading help', active: true, sortOrder: 20 },
    { code: 'OLD', labelZh: '旧代码', labelEn: 'Old code', active: false, sortOrder: 90 },
  ],
  queues: [
    { id: 'vip', name: 'VIP', skills: ['vip'], serviceLevelSeconds: 20, maxWaitSeconds: 300 },
    { id: 'stocks', name: '股票', skills: ['stocks'], serviceLevelSeconds: 30, maxWaitSeconds: 600 },
  ],
  tiers: [
    { tier: 'Diamond', equity: 10000000, fees: 100000, priority: 1 },
    { tier: 'Platinum', equity: 5000000, fees: 50000, priority: 2 },
    { tier: 'Gold', equity: 1000000, fees: 10000, priority: 3 },
  ],
};
mkdirSync(join(out, 'api', 'admin'), { recursive: true });
for (const [name, rows] of Object.entries(admin)) writeFileSync(join(out, 'api', 'admin', name), JSON.stringify(rows));

// GET answers of /api/broadcasts for the broadcast page (a static server ignores the query string).
const broadcastApi = {
  templates: [{ id: 'tpl-demo-morning-note', name: '早盘策略 Morning note', channel: 'sms', zh: '【早盘策略】{{name}}您好，{{date}}早盘策略已发布。退订回TD', en: '[Morning note] Dear {{name}}, the note for {{date}} is out.' }],
  audience: { clients: 6, tiers: [{ name: 'Diamond', clients: 1 }, { name: 'Gold', clients: 1 }, { name: 'Platinum', clients: 1 }], topics: [{ name: 'morning-note', clients: 3 }] },
  schedules: [{ id: 'bs-1', name: '早盘策略', cron: '30 8 * * 1-5', tradingDaysOnly: true, templateId: 'tpl-demo-morning-note', audience: { subscription: 'morning-note' }, nextRunAt: new Date(Date.now() + 3600e3).toISOString(), lastRunAt: null }],
};
mkdirSync(join(out, 'api', 'broadcasts'), { recursive: true });
for (const [name, body] of Object.entries(broadcastApi)) writeFileSync(join(out, 'api', 'broadcasts', name), JSON.stringify(body));
writeFileSync(join(out, 'api', 'broadcasts', 'index.html'), JSON.stringify([
  { id: 'bc-1', template: '早盘策略 Morning note', audience: { tiers: ['Diamond', 'Platinum'] }, riskNotice: false, requestedBy: 'super', startsAt: new Date().toISOString(), audienceSize: 2, queued: 2, skipped: {}, progress: { queued: 0, sent: 1, delivered: 1, failed: 0 } },
]));

await esbuild.build({
  entryPoints: { desk: join(app, 'src/desk/main.jsx'), wallboard: join(app, 'src/wallboard/main.jsx'), admin: join(app, 'src/admin/main.jsx'), broadcasts: join(app, 'src/broadcasts/main.jsx'), style: join(app, 'src/style.css') },
  outdir: join(out, 'desk', 'assets'),
  bundle: true,
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  alias: { '@microsoft/signalr': join(here, 'fake-signalr.js') },
  logLevel: 'warning',
});
console.log(`preview in ${out}`);
