// Builds the desk pages into ../wwwroot/desk: the HTML shells next to assets/ (one script per
// page, one shared style sheet). `node build.mjs --watch` rebuilds on change while developing.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageHtml, pageTitles } from './pages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'wwwroot', 'desk');
const watch = process.argv.includes('--watch');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
for (const page of Object.keys(pageTitles)) {
  writeFileSync(join(out, `${page}.html`), pageHtml(page));
}
// The site's icon, served at /favicon.ico (DeskPages.cs).
copyFileSync(join(here, 'public', 'favicon.ico'), join(out, 'favicon.ico'));

const options = {
  entryPoints: {
    desk: join(here, 'src', 'desk', 'main.jsx'),
    wallboard: join(here, 'src', 'wallboard', 'main.jsx'),
    admin: join(here, 'src', 'admin', 'main.jsx'),
    broadcasts: join(here, 'src', 'broadcasts', 'main.jsx'),
    recordings: join(here, 'src', 'recordings', 'main.jsx'),
    faxes: join(here, 'src', 'faxes', 'main.jsx'),
    announcements: join(here, 'src', 'announcements', 'main.jsx'),
    style: join(here, 'src', 'style.css'),
  },
  outdir: join(out, 'assets'),
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  legalComments: 'eof',
  logLevel: 'info',
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
