// The supervisors' broadcast page, on /api/broadcasts with the desk cookie: compose (a template and
// an audience), preview the audience, send now or at a time, or schedule with cron; the broadcasts
// and their progress by status, refreshed every two seconds while the page is open.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { Header } from '../common/Header.jsx';
import { dateTime } from '../common/format.js';
import { t, tTier, useLang } from '../common/i18n.js';

const statuses = ['queued', 'sent', 'delivered', 'failed'];

/** A fresh Idempotency-Key per composed broadcast: a double click or a retried request sends it once. */
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());

function Banner({ message }) {
  if (!message) return null;
  return <p class={message.error ? 'banner error' : 'banner ok'} role={message.error ? 'alert' : 'status'} data-testid="bc-message">{message.text}</p>;
}

function useList(path, everyMs) {
  const [rows, setRows] = useState(null);
  const [error, setError] = useState(null);
  const reload = useCallback(async () => {
    try {
      setRows(await api('GET', path));
      setError(null);
    } catch (e) {
      setError(e.message);
    }
  }, [path]);
  useEffect(() => {
    reload();
    if (!everyMs) return undefined;
    const timer = setInterval(reload, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);
  return { rows, error, reload };
}

function audienceText(audience) {
  if (!audience) return '';
  const parts = [];
  if (audience.all) parts.push(t('bc.everyone'));
  if (audience.tiers?.length) parts.push(audience.tiers.map(tTier).join(' / '));
  if (audience.subscription) parts.push(`${t('bc.subscribers')} ${audience.subscription}`);
  if (audience.birthdayToday) parts.push(t('bc.birthdayToday'));
  if (audience.holding) parts.push(`${t('bc.holding')} ${audience.holding}`);
  if (audience.noBankLink) parts.push(t('bc.noBankLink'));
  return parts.join(' · ');
}

function TemplateForm({ onSaved }) {
  const [name, setName] = useState('');
  const [zh, setZh] = useState('');
  const [en, setEn] = useState('');
  const [channel, setChannel] = useState('sms');
  const [subjectZh, setSubjectZh] = useState('');
  const [subjectEn, setSubjectEn] = useState('');
  const [message, setMessage] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    try {
      const body = { name, channel, zh, en: en.trim() ? en : null };
      if (channel === 'email') {
        body.subjectZh = subjectZh;
        body.subjectEn = subjectEn.trim() ? subjectEn : null;
      }
      const saved = await api('POST', '/api/broadcasts/templates', body);
      setMessage({ error: false, text: `${t('saved')}: ${saved.name}` });
      setName('');
      setZh('');
      setEn('');
      setSubjectZh('');
      setSubjectEn('');
      onSaved(saved.id);
    } catch (error) {
      setMessage({ error: true, text: error.message });
    }
  };
  return (
    <details class="panel">
      <summary>{t('bc.newTemplate')}</summary>
      <p class="muted small">{t('bc.placeholders')} <code>{'{{name}} {{tier}} {{manager}} {{account}} {{holdings}} {{date}}'}</code></p>
      <form class="row-form" onSubmit={save}>
        <label><span>{t('bc.templateName')}</span><input data-testid="bc-template-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} /></label>
        <label>
          <span>{t('bc.channel')}</span>
          <select data-testid="bc-template-channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
            <option value="sms">{t('bc.channel.sms')}</option>
            <option value="email">{t('bc.channel.email')}</option>
          </select>
        </label>
        {channel === 'email' && <label class="wide"><span>{t('bc.subject')} 中文</span><input data-testid="bc-template-subject-zh" value={subjectZh} onInput={(e) => setSubjectZh(e.currentTarget.value)} required maxLength={500} /></label>}
        {channel === 'email' && <label class="wide"><span>{t('bc.subject')} English</span><input data-testid="bc-template-subject-en" value={subjectEn} onInput={(e) => setSubjectEn(e.currentTarget.value)} maxLength={500} /></label>}
        <label class="wide"><span>中文</span><textarea data-testid="bc-template-zh" rows={3} value={zh} onInput={(e) => setZh(e.currentTarget.value)} required /></label>
        <label class="wide"><span>English</span><textarea data-testid="bc-template-en" rows={3} value={en} onInput={(e) => setEn(e.currentTarget.value)} /></label>
        <div class="form-actions"><button type="submit" class="primary" data-testid="bc-template-save">{t('save')}</button></div>
      </form>
      <Banner message={message} />
    </details>
  );
}

function Compose({ templates, reloadTemplates, onStarted }) {
  const choices = useList('/api/broadcasts/audience', 0).rows;
  const [templateId, setTemplateId] = useState('');
  const [tiers, setTiers] = useState([]);
  const [topic, setTopic] = useState('');
  const [birthday, setBirthday] = useState(false);
  const [holding, setHolding] = useState('');
  const [noBank, setNoBank] = useState(false);
  const [all, setAll] = useState(false);
  const [risk, setRisk] = useState(false);
  const [at, setAt] = useState('');
  const [cron, setCron] = useState('30 8 * * 1-5');
  const [scheduleName, setScheduleName] = useState('');
  const [tradingDays, setTradingDays] = useState(true);
  const [preview, setPreview] = useState(null);
  const [message, setMessage] = useState(null);
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!templateId && templates?.length) setTemplateId(templates[0].id);
  }, [templates, templateId]);
  // Anything changed is a new broadcast: a new key, and the old preview no longer holds.
  useEffect(() => {
    setPreview(null);
    setKey(newKey());
  }, [templateId, tiers, topic, birthday, holding, noBank, all, risk, at]);

  const audience = () => {
    const a = {};
    if (all) a.all = true;
    if (tiers.length) a.tiers = tiers;
    if (topic) a.subscription = topic;
    if (birthday) a.birthdayToday = true;
    // Sent as typed: the server says why a code is not one.
    if (holding.trim()) a.holding = holding.trim();
    if (noBank) a.noBankLink = true;
    return a;
  };
  const body = () => ({ templateId, audience: audience(), riskNotice: risk });
  const run = async (work) => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (error) {
      setMessage({ error: true, text: error.message });
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () => run(async () => setPreview(await api('POST', '/api/broadcasts/preview', body())));
  const send = () => run(async () => {
    const request = body();
    if (at) request.at = new Date(at).toISOString();
    const started = await api('POST', '/api/broadcasts', request, 'application/json', { 'Idempotency-Key': key });
    setMessage({ error: false, text: `${t('bc.started')}: ${started.queued} ${t('bc.queuedMessages')}` });
    setKey(newKey());
    onStarted();
  });
  const schedule = () => run(async () => {
    const saved = await api('POST', '/api/broadcasts/schedules', { ...body(), name: scheduleName, cron, tradingDaysOnly: tradingDays });
    setMessage({ error: false, text: `${t('bc.scheduled')}: ${saved.name}` });
    setScheduleName('');
    onStarted();
  });
  const toggleTier = (tier) => setTiers(tiers.includes(tier) ? tiers.filter((x) => x !== tier) : [...tiers, tier]);
  const template = templates?.find((x) => x.id === templateId);

  return (
    <section class="panel" data-testid="bc-compose">
      <h2>{t('bc.compose')}</h2>
      <div class="row-form">
        <label class="wide">
          <span>{t('bc.template')}</span>
          <select data-testid="bc-template" value={templateId} onChange={(e) => setTemplateId(e.currentTarget.value)}>
            {(templates ?? []).map((x) => <option value={x.id}>{x.name} · {t('bc.channel.' + x.channel)}</option>)}
          </select>
        </label>
      </div>
      {template && (
        <div class="template-text small">
          <p data-testid="bc-template-text-zh">{template.subjectZh && <strong>{template.subjectZh}<br /></strong>}{template.zh}</p>
          {template.en && <p class="muted">{template.en}</p>}
        </div>
      )}
      <TemplateForm onSaved={async (id) => { await reloadTemplates(); setTemplateId(id); }} />
      <fieldset>
        <legend>{t('bc.audience')}</legend>
        <div class="choices">
        <label class="check"><input type="checkbox" data-testid="bc-all" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> {t('bc.everyone')} {choices && `(${choices.clients})`}</label>
        </div>
        <div class="choices">
          {(choices?.tiers ?? []).map((tier) => (
            <label class="check"><input type="checkbox" data-testid={`bc-tier-${tier.name}`} checked={tiers.includes(tier.name)} onChange={() => toggleTier(tier.name)} /> {tTier(tier.name)} ({tier.clients})</label>
          ))}
        </div>
        <div class="choices">
        <label class="check">
          <span>{t('bc.subscribers')}</span>
          <select data-testid="bc-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
            <option value="">—</option>
            {(choices?.topics ?? []).map((x) => <option value={x.name}>{x.name} ({x.clients})</option>)}
          </select>
        </label>
        <label class="check"><input type="checkbox" data-testid="bc-birthday" checked={birthday} onChange={(e) => setBirthday(e.currentTarget.checked)} /> {t('bc.birthdayToday')}</label>
        </div>
        {choices?.backOffice && (
          <div class="choices">
            <label class="check">
              <span>{t('bc.holding')}</span>
              <input data-testid="bc-holding" list="bc-stocks" size="8" placeholder="600000" value={holding} onInput={(e) => setHolding(e.currentTarget.value)} />
              <datalist id="bc-stocks">
                {(choices.stocks ?? []).map((x) => <option value={x.code}>{x.code} {x.name} ({x.clients})</option>)}
              </datalist>
            </label>
            <label class="check"><input type="checkbox" data-testid="bc-no-bank" checked={noBank} onChange={(e) => setNoBank(e.currentTarget.checked)} /> {t('bc.noBankLink')} ({choices.noBankLink})</label>
          </div>
        )}
        <p class="muted small">{t('bc.allMustHold')}</p>
      </fieldset>
      <label class="check warning"><input type="checkbox" data-testid="bc-risk" checked={risk} onChange={(e) => setRisk(e.currentTarget.checked)} /> {t('bc.riskNotice')}</label>
      <div class="form-actions">
        <button type="button" data-testid="bc-preview" disabled={busy || !templateId} onClick={doPreview}>{t('bc.preview')}</button>
      </div>
      {preview && (
        <div data-testid="bc-preview-result">
          <div class="tiles small">
            <div class="tile"><div class="tile-n" data-testid="bc-preview-audience">{preview.audience}</div><div class="tile-label">{t('bc.audienceSize')}</div></div>
            <div class="tile"><div class="tile-n" data-testid="bc-preview-messages">{preview.messages}</div><div class="tile-label">{t('bc.messages')}</div></div>
            <div class={`tile ${Object.keys(preview.skipped).length ? 'bad' : ''}`}><div class="tile-n">{Object.values(preview.skipped).reduce((a, b) => a + b, 0)}</div><div class="tile-label">{t('bc.skipped')}</div></div>
          </div>
          {Object.entries(preview.skipped).map(([reason, n]) => <p class="muted small">{reason}: {n}</p>)}
          {preview.sample.map((s) => <p class="small" data-testid="bc-sample"><code>{s.to}</code> {s.subject && <strong>{s.subject} </strong>}{s.text}</p>)}
        </div>
      )}
      <div class="row-form">
        <label><span>{t('bc.at')}</span><input type="datetime-local" data-testid="bc-at" value={at} onInput={(e) => setAt(e.currentTarget.value)} /></label>
        <div class="form-actions">
          <button type="button" class="primary" data-testid="bc-send" disabled={busy || !templateId} onClick={send}>{at ? t('bc.sendAt') : t('bc.sendNow')}</button>
        </div>
      </div>
      <div class="row-form">
        <label><span>{t('bc.scheduleName')}</span><input data-testid="bc-schedule-name" value={scheduleName} onInput={(e) => setScheduleName(e.currentTarget.value)} maxLength={100} /></label>
        <label><span>cron</span><input data-testid="bc-cron" value={cron} onInput={(e) => setCron(e.currentTarget.value)} /></label>
        <label class="check"><input type="checkbox" checked={tradingDays} onChange={(e) => setTradingDays(e.currentTarget.checked)} /> {t('bc.tradingDays')}</label>
        <div class="form-actions">
          <button type="button" data-testid="bc-schedule" disabled={busy || !templateId || !scheduleName.trim()} onClick={schedule}>{t('bc.schedule')}</button>
        </div>
      </div>
      <Banner message={message} />
    </section>
  );
}

function Progress({ broadcast }) {
  return (
    <>
      {statuses.map((s) => <td class="num" data-testid={`bc-${s}`}>{broadcast.progress[s] ?? 0}</td>)}
    </>
  );
}

export function BroadcastsApp() {
  useLang();
  const templates = useList('/api/broadcasts/templates', 0);
  const broadcasts = useList('/api/broadcasts?limit=50', 2000);
  const schedules = useList('/api/broadcasts/schedules', 5000);
  const remove = async (id) => {
    await api('DELETE', `/api/broadcasts/schedules/${encodeURIComponent(id)}`);
    schedules.reload();
  };
  return (
    <>
      <Header page="broadcasts" />
      <main class="admin broadcasts">
        <Compose templates={templates.rows} reloadTemplates={templates.reload} onStarted={() => { broadcasts.reload(); schedules.reload(); }} />
        <section class="panel">
          <h2>{t('bc.list')}</h2>
          {broadcasts.error && <p class="banner error" role="alert">{broadcasts.error}</p>}
          <div class="table-wrap">
            <table class="grid">
              <thead>
                <tr>
                  <th>{t('bc.startsAt')}</th><th>{t('bc.template')}</th><th>{t('bc.audience')}</th><th>{t('bc.by')}</th>
                  <th class="num">{t('bc.audienceSize')}</th>
                  {statuses.map((s) => <th class="num">{t('bc.status.' + s)}</th>)}
                  <th class="num">{t('bc.skipped')}</th>
                </tr>
              </thead>
              <tbody data-testid="bc-list">
                {(broadcasts.rows ?? []).map((b) => (
                  <tr data-testid="bc-row" data-id={b.id}>
                    <td>{dateTime(b.startsAt)}</td>
                    <td>{b.template}{b.riskNotice && <span class="badge"> {t('bc.risk')}</span>}</td>
                    <td>{audienceText(b.audience)}</td>
                    <td>{b.requestedBy}</td>
                    <td class="num">{b.audienceSize}</td>
                    <Progress broadcast={b} />
                    <td class="num" title={Object.entries(b.skipped).map(([r, n]) => `${r}: ${n}`).join('\n')}>{Object.values(b.skipped).reduce((x, y) => x + y, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {broadcasts.rows?.length === 0 && <p class="muted">{t('empty')}</p>}
          </div>
        </section>
        <section class="panel">
          <h2>{t('bc.schedules')}</h2>
          <table class="grid">
            <thead><tr><th>{t('bc.scheduleName')}</th><th>cron</th><th>{t('bc.template')}</th><th>{t('bc.audience')}</th><th>{t('bc.nextRun')}</th><th>{t('bc.lastRun')}</th><th /></tr></thead>
            <tbody data-testid="bc-schedules">
              {(schedules.rows ?? []).map((s) => (
                <tr>
                  <td>{s.name}</td>
                  <td><code>{s.cron}</code>{s.tradingDaysOnly && ` · ${t('bc.tradingDays')}`}</td>
                  <td>{templates.rows?.find((x) => x.id === s.templateId)?.name ?? s.templateId}</td>
                  <td>{audienceText(s.audience)}</td>
                  <td>{dateTime(s.nextRunAt)}</td>
                  <td>{dateTime(s.lastRunAt)}</td>
                  <td><button type="button" class="ghost" onClick={() => remove(s.id)}>{t('remove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          {schedules.rows?.length === 0 && <p class="muted">{t('empty')}</p>}
        </section>
      </main>
    </>
  );
}
