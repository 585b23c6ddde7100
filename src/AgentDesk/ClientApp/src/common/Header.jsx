// The bar on top of every page: product name, the pages this role may open, connection status,
// the signed-in user, the language toggle and sign-out.
import { setLang, t, useLang } from './i18n.js';
import { session, signOut } from './session.js';

const pagesByRole = {
  agent: [['desk', '/desk/']],
  supervisor: [['wallboard', '/desk/wallboard'], ['broadcasts', '/desk/broadcasts'], ['recordings', '/desk/recordings'], ['faxes', '/desk/faxes']],
  admin: [['wallboard', '/desk/wallboard'], ['broadcasts', '/desk/broadcasts'], ['recordings', '/desk/recordings'], ['faxes', '/desk/faxes'], ['announcements', '/desk/announcements'], ['admin', '/desk/admin']],
};

export function LangToggle() {
  const current = useLang();
  return (
    <button type="button" class="lang-toggle" data-testid="lang-toggle" title="中文 / English" onClick={() => setLang(current === 'zh' ? 'en' : 'zh')}>
      <span class={current === 'zh' ? 'on' : ''}>中文</span> / <span class={current === 'en' ? 'on' : ''}>English</span>
    </button>
  );
}

export function Header({ page, status, children }) {
  useLang();
  return (
    <header class="topbar">
      <div class="brand">
        <span class="logo" aria-hidden="true">☎</span>
        <span>{t('appName')}</span>
      </div>
      <nav>
        {(pagesByRole[session.role] ?? []).map(([name, href]) => (
          <a href={href} class={name === page ? 'current' : ''}>{t(name)}</a>
        ))}
      </nav>
      <div class="topbar-right">
        {children}
        {status && <span class={`conn conn-${status}`} data-testid="connection">{t(status)}</span>}
        <span class="user">{t('signedInAs')} <strong>{session.login}</strong></span>
        <LangToggle />
        <button type="button" class="ghost" onClick={signOut}>{t('signOut')}</button>
      </div>
    </header>
  );
}
