// Loads one admin list and reloads it on demand; the last error or success message for the section.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../common/api.js';

export function useAdminData(path) {
  const [rows, setRows] = useState(null);
  const [message, setMessage] = useState(null);
  const reload = useCallback(async () => {
    try {
      setRows(await api('GET', path));
    } catch (e) {
      setMessage({ error: true, text: e.message });
    }
  }, [path]);
  useEffect(() => {
    reload();
  }, [reload]);

  /** Runs a write, reloads the list, and reports the outcome; true when it went through. */
  const write = useCallback(async (method, url, body, okText) => {
    try {
      await api(method, url, body);
      setMessage({ error: false, text: okText });
      await reload();
      return true;
    } catch (e) {
      setMessage({ error: true, text: e.message });
      return false;
    }
  }, [reload]);
  return { rows, reload, write, message, setMessage };
}

export function Message({ message }) {
  if (!message) return null;
  return <p class={message.error ? 'banner error' : 'banner ok'} role={message.error ? 'alert' : 'status'} data-testid="admin-message">{message.text}</p>;
}
