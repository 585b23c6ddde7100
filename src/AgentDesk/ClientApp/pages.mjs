// The HTML shell of each desk page: the same page but for its title and script. The platform adds
// the session's meta tags (DeskPages.cs); the scripts render everything else.
export const pageTitles = {
  desk: '坐席工作台 · Agent desk',
  wallboard: '监控大屏 · Wallboard',
  admin: '系统管理 · Administration',
  broadcasts: '群发 · Broadcasts',
  recordings: '录音查询 · Recordings',
  faxes: '收到的传真 · Received faxes',
  announcements: '信息发布 · Announcements',
};

export function pageHtml(page) {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${pageTitles[page]}</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/desk/assets/style.css">
<script type="module" src="/desk/assets/${page}.js"></script>
</head>
<body>
<div id="app"><p class="loading">加载中 · Loading…</p></div>
<noscript>本页需要 JavaScript · This page needs JavaScript.</noscript>
</body>
</html>
`;
}
