// A static preview of the three pages with sample data (dev/sample.js) instead of the hubs and the
// admin API, for looking at them without a platform: node dev/preview.mjs /tmp/preview, then serve
// that folder (python3 -m http.server) and open /desk/, /desk/wallboard/, /desk/admin/.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageHtml } from '../pages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, '..');
const out = process.argv[2] ?? '/tmp/desk-preview';
const meta = (role) => `<meta name="desk-login" content="${role === 'agent' ? '1001' : role}"><meta name="desk-role" content="${role}"><meta name="desk-agent" content="1001"><meta name="desk-antiforgery" content="preview">\n`;

for (const [page, dir, role] of [['desk', 'desk', 'agent'], ['wallboard', 'desk/wallboard', 'supervisor'], ['admin', 'desk/admin', 'admin']]) {
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

await esbuild.build({
  entryPoints: { desk: join(app, 'src/desk/main.jsx'), wallboard: join(app, 'src/wallboard/main.jsx'), admin: join(app, 'src/admin/main.jsx'), style: join(app, 'src/style.css') },
  outdir: join(out, 'desk', 'assets'),
  bundle: true,
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  alias: { '@microsoft/signalr': join(here, 'fake-signalr.js') },
  logLevel: 'warning',
});
console.log(`preview in ${out}`);
