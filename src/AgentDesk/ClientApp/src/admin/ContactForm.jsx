// An agent's contact as an account manager: the mobile and e-mail address the quarterly review's list of their
// clients whose tier changed goes to (Tiers:ManagerNotices). GET and PUT /api/admin/agents/{extension}/contact
// {mobile, email}; empty clears. The same rules as the server's are checked first, so a bad number or address is
// named next to its field in the page's language; the server's own refusal is shown as it words it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';
import { t } from '../common/i18n.js';

/** 5 to 20 digits, optionally after one leading '+'; empty clears (AdminRules.Mobile). */
export const mobileOk = (value) => value === '' || /^\+?[0-9]{5,20}$/.test(value);

/** One plain address: local@domain.tld, at most 254 characters, no spaces, commas, semicolons, quotes or angle brackets (AdminRules.Email). */
export function emailOk(value) {
  if (value === '') return true;
  if (value.length > 254 || /[\s<>,;"\u0000-\u001f\u007f]/.test(value)) return false;
  const at = value.indexOf('@');
  return at > 0 && at === value.lastIndexOf('@') && at < value.length - 3 && value.slice(at + 1).includes('.');
}

export function ContactForm({ extension, onClose }) {
  const url = `/api/admin/agents/${encodeURIComponent(extension)}/contact`;
  const [mobile, setMobile] = useState('');
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState(null);
  // The fields stay disabled until the stored contact is in, so nothing typed is overwritten by it.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    api('GET', url)
      .then((c) => {
        setMobile(c?.mobile ?? '');
        setEmail(c?.email ?? '');
        setLoaded(true);
      })
      .catch((e) => setMessage({ error: true, text: e.message }));
  }, [url]);
  const submit = async (e) => {
    e.preventDefault();
    const body = { mobile: mobile.trim(), email: email.trim() };
    const found = {};
    if (!mobileOk(body.mobile)) found.mobile = t('contactMobileInvalid');
    if (!emailOk(body.email)) found.email = t('contactEmailInvalid');
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setMessage(null);
      return;
    }
    try {
      const saved = await api('PUT', url, body);
      setMobile(saved?.mobile ?? '');
      setEmail(saved?.email ?? '');
      setMessage({ error: false, text: `${t('contactSaved')}: ${extension}` });
    } catch (err) {
      setMessage({ error: true, text: err.message });
    }
  };
  return (
    <form class="row-form" onSubmit={submit} noValidate data-testid={`contact-form-${extension}`}>
      <p class="muted wide">{t('contactTitle')} · {extension} — {t('contactHint')}</p>
      <label>
        <span>{t('contactMobile')}</span>
        <input value={mobile} onInput={(e) => setMobile(e.currentTarget.value)} disabled={!loaded} inputMode="tel" autocomplete="off" placeholder="+8613900001234"
          aria-invalid={errors.mobile ? 'true' : undefined} data-testid="contact-mobile" />
        {errors.mobile && <span class="field-error" role="alert" data-testid="contact-mobile-error">{errors.mobile}</span>}
      </label>
      <label class="wide">
        <span>{t('contactEmail')}</span>
        <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} disabled={!loaded} autocomplete="off" placeholder="name@broker.example"
          aria-invalid={errors.email ? 'true' : undefined} data-testid="contact-email" />
        {errors.email && <span class="field-error" role="alert" data-testid="contact-email-error">{errors.email}</span>}
      </label>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={!loaded} data-testid="contact-save">{t('save')}</button>
        <button type="button" onClick={onClose}>{t('cancel')}</button>
      </div>
      {message && <p class={message.error ? 'banner error' : 'banner ok'} role={message.error ? 'alert' : 'status'} data-testid="contact-message">{message.text}</p>}
    </form>
  );
}
