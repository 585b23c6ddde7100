// The agent's phone: a SIP phone on the desk (nothing to do here), or the phone in the browser
// (browserPhone.js). The choice is remembered in this browser; the SIP password is asked each time
// the phone starts and kept in memory only. Before registering, the microphone is checked, and a
// browser that refuses it (or a page that is not a secure context) says so plainly.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../common/i18n.js';
import { session } from '../common/session.js';
import { checkMicrophone, startPhone, startRingtone, unsupportedReason } from './browserPhone.js';

const choiceKey = 'callcenter.phone';

export function PhonePanel({ call, act }) {
  const [choice, setChoice] = useState(() => localStorage.getItem(choiceKey) ?? 'sip');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState('off');
  const [detail, setDetail] = useState('');
  const [level, setLevel] = useState(null);
  const [incoming, setIncoming] = useState(null);
  const [talking, setTalking] = useState(false);
  const [muted, setMuted] = useState(false);
  const phone = useRef(null);
  const ringtone = useRef(null);
  const audio = useRef(null);

  const stopRinging = () => {
    ringtone.current?.();
    ringtone.current = null;
  };

  useEffect(() => () => {
    stopRinging();
    phone.current?.stop();
  }, []);

  const choose = (next) => {
    localStorage.setItem(choiceKey, next);
    setChoice(next);
    if (next !== 'browser' && phone.current) {
      phone.current.stop();
      phone.current = null;
      setStatus('off');
    }
  };

  const start = async (e) => {
    e.preventDefault();
    const unsupported = unsupportedReason();
    if (unsupported) {
      setStatus(unsupported);
      return;
    }
    setStatus('micCheck');
    try {
      await checkMicrophone(setLevel);
    } catch (error) {
      setStatus(error?.name === 'NotAllowedError' || error?.name === 'SecurityError' ? 'micDenied' : 'micMissing');
      setDetail(error?.message ?? '');
      return;
    }
    phone.current = startPhone(session.agent, password, {
      status(name, why) {
        if (name === 'registrationFailed') {
          // A wrong password: stop the user agent so the form comes back for another try.
          phone.current?.stop();
          phone.current = null;
        }
        setStatus(name);
        setDetail(why ?? '');
      },
      incoming(next) {
        setIncoming(next);
        setTalking(false);
        setMuted(false);
        stopRinging();
        ringtone.current = startRingtone();
      },
      ended() {
        stopRinging();
        setIncoming(null);
        setTalking(false);
      },
    });
    setPassword('');
  };

  const answer = () => {
    stopRinging();
    incoming.answer(audio.current);
    setTalking(true);
  };
  const decline = () => {
    stopRinging();
    incoming.decline();
  };
  const toggleMute = () => {
    incoming.setMuted(!muted);
    setMuted(!muted);
  };

  const running = phone.current !== null && !['off', 'insecure', 'unsupported', 'micDenied', 'micMissing'].includes(status);
  const callId = call?.callId;
  const state = call?.state ?? '';
  return (
    <section class="panel phone-panel" data-testid="phone-panel">
      <div class="call-head">
        <h2>{t('phone.title')}</h2>
        <span class={`phone ${status === 'registered' ? 'ok' : 'warn'}`} data-testid="phone-status" data-status={status}>
          {choice === 'browser' ? t('phone.status.' + status) : t('phone.sipPhoneHint')}
        </span>
      </div>
      <fieldset class="phone-choice">
        <legend class="sr-only">{t('phone.choice')}</legend>
        <label class="inline">
          <input type="radio" name="phone" data-testid="phone-choice-sip" checked={choice !== 'browser'} onChange={() => choose('sip')} />
          {t('phone.sipPhone')}
        </label>
        <label class="inline">
          <input type="radio" name="phone" data-testid="phone-choice-browser" checked={choice === 'browser'} onChange={() => choose('browser')} />
          {t('phone.browser')}
        </label>
      </fieldset>
      {choice === 'browser' && !running && (
        <form class="phone-start" onSubmit={start}>
          <label>
            <span>{t('phone.sipPassword')}</span>
            <input type="password" data-testid="phone-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autocomplete="current-password" maxLength={128} required />
          </label>
          <button type="submit" class="primary" data-testid="btn-phone-start">{t('phone.start')}</button>
        </form>
      )}
      {['insecure', 'unsupported', 'micDenied', 'micMissing', 'registrationFailed'].includes(status) && (
        <p class="error" data-testid="phone-error">{t('phone.help.' + status)}{detail ? ` (${detail})` : ''}</p>
      )}
      {level !== null && status === 'micCheck' && (
        <p class="muted small">{t('phone.micLevel')} <meter min="0" max="1" value={level} data-testid="mic-level" /></p>
      )}
      {incoming && (
        <div class="phone-call" data-testid="phone-call">
          <p>
            {talking ? t('phone.inCall') : t('phone.ringing')} <strong>{incoming.name || incoming.caller}</strong>
          </p>
          <div class="call-actions">
            <button type="button" class="primary" data-testid="btn-phone-answer" disabled={talking} onClick={answer}>{t('phone.answer')}</button>
            <button type="button" data-testid="btn-phone-decline" disabled={talking} onClick={decline}>{t('phone.decline')}</button>
            <button type="button" data-testid="btn-phone-mute" aria-pressed={muted} disabled={!talking} onClick={toggleMute}>{muted ? t('phone.unmute') : t('phone.mute')}</button>
            <button type="button" data-testid="btn-phone-hold" disabled={!talking || !['talking', 'held'].includes(state)} onClick={() => act(state === 'held' ? 'resume' : 'hold', callId)}>
              {state === 'held' ? t('resume') : t('hold')}
            </button>
            <button type="button" class="danger" data-testid="btn-phone-hangup" disabled={!talking} onClick={() => incoming.hangUp()}>{t('hangUp')}</button>
          </div>
        </div>
      )}
      <audio ref={audio} autoplay data-testid="phone-audio" />
    </section>
  );
}
