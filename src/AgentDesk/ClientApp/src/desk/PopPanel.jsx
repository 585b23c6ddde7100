// The screen pop: who is calling (client directory), what they did in the IVR, their last five interactions.
import { lang, t, tDisposition, tTier, tIvrNode, tLanguage, tQueue } from '../common/i18n.js';
import { dateTime, duration } from '../common/format.js';


function Field({ label, testid, children }) {
  return (
    <div class="field">
      <dt>{label}</dt>
      <dd data-testid={testid}>{children}</dd>
    </div>
  );
}

export function PopPanel({ pop, live, onDial }) {
  if (!pop) {
    return (
      <section class="panel pop empty">
        <h2>{t('pop')}</h2>
        <p class="muted">{t('noPop')}</p>
      </section>
    );
  }
  const tier = pop.tier ?? 'ordinary';
  return (
    <section class={`panel pop ${live ? 'live' : 'past'}`} data-testid="pop">
      <div class="pop-head">
        <div>
          <h2 data-testid="pop-name">{pop.name ?? t('unknownCaller')}</h2>
          {pop.callerVerified === false && <p class="warning" data-testid="pop-unverified">{t('callerNotVerified')}</p>}
          {pop.verifiedByPin && <p class="verified" data-testid="pop-verified-pin">{t('verifiedByPin')}{pop.verifiedAccountMasked ? ` · ${t('verifiedAccount')} ${pop.verifiedAccountMasked}` : ''}</p>}
          <p class="muted">{t('caller')} {pop.caller}{' '}
            {onDial && pop.caller && (
              <button type="button" class="ghost small" data-testid="btn-pop-dial" title={t('dialTitle')} disabled={live} onClick={() => onDial(pop.caller)}>☎ {t('dial')}</button>
            )}
            {' '}· {t('dialed')} {pop.dialed}{pop.queue ? ` · ${t('queue')} ${tQueue(pop.queue)}` : ''} · {t('waited')} {duration(pop.waitSeconds)}</p>
        </div>
        <div class="tier-box">
          <span class={`tier tier-${tier.toLowerCase()}`} data-testid="pop-tier" title={pop.tier ?? 'ordinary'}
            style={pop.tierColour ? { background: pop.tierColour, color: '#fff' } : undefined}>{tierLabel(pop, tier)}</span>
        </div>
      </div>
      <dl class="fields">
        <Field label={t('account')} testid="pop-account">{pop.maskedAccount ?? '—'}</Field>
        <Field label={t('manager')} testid="pop-manager">
          {pop.accountManagerName ?? ''}{pop.accountManager ? ` (${pop.accountManager})` : ''}{pop.accountManagerPhone ? ` ${pop.accountManagerPhone}` : ''}{!pop.accountManager && !pop.accountManagerName ? '—' : ''}
          {pop.accountManagerDeniedAt && <span class="warning" data-testid="pop-manager-denied"> ⚠ {t('managerDenied')} {new Date(pop.accountManagerDeniedAt).toLocaleDateString()}</span>}
        </Field>
        <Field label={t('language')} testid="pop-language">{pop.language ? tLanguage(pop.language) : '—'}</Field>
        {pop.branch && <Field label={t('branch')}>{pop.branch}</Field>}
      </dl>
      <h3>{t('ivrPath')}</h3>
      <ol class="ivr-path" data-testid="pop-ivr">
        {(pop.ivrPath ?? []).map((step) => (
          <li>
            <span class="node" title={step.node}>{tIvrNode(step.node)}</span>
            {step.keys && <kbd title={t('keys')}>{step.keys}</kbd>}
          </li>
        ))}
      </ol>
      <h3>{t('recent')}</h3>
      <table class="grid compact">
        <thead>
          <tr><th>{t('at')}</th><th>{t('agent')}</th><th>{t('disposition')}</th><th>{t('wrapUpCode')}</th><th>{t('notes')}</th><th>{t('talk')}</th></tr>
        </thead>
        <tbody data-testid="pop-recent">
          {(pop.recent ?? []).map((r) => (
            <tr>
              <td>{dateTime(r.at)}</td>
              <td>{r.agent ?? '—'}</td>
              <td>{tDisposition(r.disposition)}</td>
              <td>{r.wrapUpCode ?? ''}</td>
              <td class="notes">{r.wrapUpNotes ?? ''}</td>
              <td>{duration(r.talkSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(pop.recent ?? []).length === 0 && <p class="muted small">{t('noRecent')}</p>}
    </section>
  );
}

// The configured scheme names its tiers in both languages (a securities card as much as a futures grade);
// the dictionary's names are the fallback for a pop without them.
function tierLabel(pop, tier) {
  const configured = lang() === 'zh' ? pop.tierZh : pop.tierEn;
  return configured ?? tTier(tier);
}
