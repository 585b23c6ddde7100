// Small formatting helpers shared by the pages.
import { useEffect, useState } from 'preact/hooks';
import { lang } from './i18n.js';

/** Whole seconds as m:ss, or h:mm:ss from an hour. */
export function duration(seconds) {
  const total = Math.max(0, Math.floor(seconds ?? 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function seconds(date, now) {
  return (now - new Date(date).getTime()) / 1000;
}

export function clock(value) {
  if (!value) return '';
  return new Date(value).toLocaleTimeString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}

/** Today's times as hh:mm, earlier days with the date. */
export function dateTime(value) {
  if (!value) return '';
  const date = new Date(value);
  const today = date.toDateString() === new Date().toDateString();
  const options = today ? { hour: '2-digit', minute: '2-digit' } : { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' };
  return date.toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false, ...options });
}

export function percent(fraction) {
  return fraction === null || fraction === undefined ? '—' : `${Math.round(fraction * 1000) / 10}%`;
}

/** The current time in milliseconds, updated every `everyMs` so timers on screen tick. */
export function useNow(everyMs = 1000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A datetime-local input's value (the browser's local time) for a Date. */
export function localValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
