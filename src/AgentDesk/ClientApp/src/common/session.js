// What the platform put into the page for this session (meta tags written by DeskPages), the
// anti-forgery token for form posts and the admin REST calls, and sign-out.

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
}

export const session = {
  login: meta('desk-login'),
  role: meta('desk-role'),
  agent: meta('desk-agent'),
  antiforgeryField: meta('desk-antiforgery-field') || '__RequestVerificationToken',
};

let antiforgeryToken = meta('desk-antiforgery');

/** The anti-forgery request token: the page's, or a fresh one from /desk/antiforgery when asked to renew. */
export async function antiforgery(renew = false) {
  if (!antiforgeryToken || renew) {
    const response = await fetch('/desk/antiforgery', { credentials: 'same-origin' });
    if (response.status === 401) toSignIn();
    if (!response.ok) throw new Error(`/desk/antiforgery: ${response.status}`);
    antiforgeryToken = (await response.json()).token;
  }
  return antiforgeryToken;
}

export function toSignIn() {
  location.assign('/desk/signin');
}

/** Sign-out is the sign-in form's POST /desk/signout with the anti-forgery token, as a real form so the browser follows the redirect. */
export async function signOut() {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/desk/signout';
  const field = document.createElement('input');
  field.type = 'hidden';
  field.name = session.antiforgeryField;
  field.value = await antiforgery();
  form.append(field);
  document.body.append(form);
  form.submit();
}

/** True when the desk session is still valid; false when it has expired (401). */
export async function sessionAlive() {
  try {
    const response = await fetch('/desk/me', { credentials: 'same-origin', cache: 'no-store' });
    return response.status !== 401;
  } catch {
    // The platform is unreachable: not an expired session, keep trying to reconnect.
    return true;
  }
}

// The session slides on requests (Desk:SessionMinutes without one ends it), but working in the desk
// is mostly hub traffic, which does not renew the cookie. So a click or key press renews it with a
// small request, at most once every five minutes: an agent at work stays signed in, an idle page
// still expires, and the hub's reconnect then picks up the renewed cookie.
const renewEveryMs = 5 * 60 * 1000;
let lastRenewal = Date.now();

function renewOnActivity() {
  if (Date.now() - lastRenewal < renewEveryMs) return;
  lastRenewal = Date.now();
  sessionAlive().then((alive) => {
    if (!alive) toSignIn();
  });
}

for (const type of ['pointerdown', 'keydown']) {
  addEventListener(type, renewOnActivity, { passive: true, capture: true });
}
