// The agent's phone in the browser: JsSIP registers the agent's extension over SIP over WebSocket
// (RFC 7118) at /sip on the desk's own origin (the platform takes only the signed-in agent's own
// extension there), and WebRTC carries the audio (the platform is ICE-lite and the DTLS server).
// This module holds the JsSIP user agent and the one call it may have; PhonePanel renders it.
import * as JsSIP from 'jssip';

/** Why the browser cannot be the phone, before anything is tried: a page on plain http:// off localhost. */
export function unsupportedReason() {
  if (!window.isSecureContext) return 'insecure';
  if (!navigator.mediaDevices?.getUserMedia || !window.RTCPeerConnection) return 'unsupported';
  return null;
}

/**
 * Asks for the microphone and measures it for about a second: resolves with the peak level (0-1), or
 * rejects with an error whose name says why (NotAllowedError: the browser or the agent denied it).
 */
export async function checkMicrophone(onLevel) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  const context = new AudioContext();
  try {
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 50));
      analyser.getFloatTimeDomainData(samples);
      for (const s of samples) peak = Math.max(peak, Math.abs(s));
      onLevel?.(peak);
    }
    return peak;
  } finally {
    stream.getTracks().forEach((track) => track.stop());
    context.close();
  }
}

/** A ringtone made in the page (no file to fetch): 440 + 480 Hz, 2 s on, 4 s off. */
export function startRingtone() {
  const context = new AudioContext();
  const gain = context.createGain();
  gain.gain.value = 0;
  gain.connect(context.destination);
  for (const frequency of [440, 480]) {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start();
  }
  let on = false;
  const cycle = () => {
    on = !on;
    gain.gain.setTargetAtTime(on ? 0.08 : 0, context.currentTime, 0.01);
    timer = setTimeout(cycle, on ? 2000 : 4000);
  };
  let timer = setTimeout(cycle, 0);
  return () => {
    clearTimeout(timer);
    context.close();
  };
}

/**
 * Starts the user agent for <extension> with its SIP password (kept in memory only). `events` gets
 * status(name, detail), incoming(call), ended(cause). Returns { stop() }.
 */
export function startPhone(extension, password, events) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new JsSIP.WebSocketInterface(`${scheme}://${location.host}/sip`);
  const ua = new JsSIP.UA({
    sockets: [socket],
    uri: `sip:${extension}@${location.hostname}`,
    password,
    register: true,
    register_expires: 600,
    session_timers: false,
    user_agent: 'CallCenter desk (JsSIP)',
  });
  ua.on('connecting', () => events.status('connecting'));
  ua.on('disconnected', () => events.status('disconnected'));
  ua.on('registered', () => events.status('registered'));
  ua.on('unregistered', () => events.status('unregistered'));
  ua.on('registrationFailed', (e) => events.status('registrationFailed', e.cause));
  ua.on('newRTCSession', ({ originator, session }) => {
    if (originator !== 'remote') return;
    session.on('ended', (e) => events.ended(e.cause));
    session.on('failed', (e) => events.ended(e.cause));
    events.incoming(wrap(session));
  });
  ua.start();
  return {
    stop() {
      ua.stop();
    },
  };
}

/** The one incoming call, as the panel uses it. */
function wrap(session) {
  const from = session.remote_identity;
  return {
    caller: from?.uri?.user ?? '',
    name: from?.display_name ?? '',
    answer(audio) {
      session.on('peerconnection', ({ peerconnection }) => attach(peerconnection, audio));
      session.answer({
        mediaConstraints: { audio: true, video: false },
        // The platform is ICE-lite with one host candidate: no STUN or TURN servers to ask.
        pcConfig: { iceServers: [], rtcpMuxPolicy: 'require', bundlePolicy: 'max-bundle' },
      });
      if (session.connection) attach(session.connection, audio);
    },
    decline() {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
    },
    hangUp() {
      session.terminate();
    },
    setMuted(muted) {
      if (muted) session.mute({ audio: true });
      else session.unmute({ audio: true });
    },
    get established() {
      return session.isEstablished();
    },
  };
}

function attach(connection, audio) {
  connection.addEventListener('track', (e) => {
    audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
    audio.play().catch(() => {});
  });
}
