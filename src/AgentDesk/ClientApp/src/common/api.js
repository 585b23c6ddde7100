// The REST API under /api with the desk cookie: writes carry the anti-forgery token
// in X-CSRF-TOKEN. Errors become an Error with the server's sentence (problem details or text).
import { antiforgery, toSignIn } from './session.js';

export async function api(method, path, body, contentType = 'application/json', extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (method !== 'GET') headers['X-CSRF-TOKEN'] = await antiforgery();
  // A FormData body (a file upload) sets its own multipart type with the boundary.
  const form = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = contentType;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined || form ? body : contentType === 'application/json' ? JSON.stringify(body) : body,
  });
  if (response.status === 401) {
    toSignIn();
    throw new Error('401');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!response.ok) {
    const message = (data && (data.detail || data.title || data.message || data.error)) || (typeof data === 'string' && data) || `${response.status} ${response.statusText}`;
    const error = new Error(message);
    // Problem details may name the field at fault (the announcements form marks it).
    error.field = (data && typeof data === 'object' && data.field) || null;
    throw error;
  }
  return data;
}
