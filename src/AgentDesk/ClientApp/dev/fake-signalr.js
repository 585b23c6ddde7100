// Stands in for @microsoft/signalr in the preview build (dev/preview.mjs): the hubs answer with
// the sample data of sample.js, so the pages can be looked at without a running platform.
import { sample } from './sample.js';

export const LogLevel = { Warning: 3 };

class FakeConnection {
  constructor(url) {
    this.url = url;
    this.handlers = {};
    this.state = 'Connected';
  }

  on(name, handler) {
    this.handlers[name] = handler;
  }

  onreconnecting() {}

  onreconnected() {}

  onclose() {}

  async start() {
    if (this.url === '/hubs/wallboard') {
      setInterval(() => this.handlers.wallboard?.(sample.wallboard()), 1000);
    }
  }

  async stop() {}

  async invoke(name, ...args) {
    const answer = sample.hubs[this.url]?.[name];
    if (answer === undefined) {
      throw new Error(`An unexpected error occurred invoking '${name}' on the server. HubException: 预览中不可用 · Not available in the preview.`);
    }
    return typeof answer === 'function' ? answer(...args) : answer;
  }
}

export class HubConnectionBuilder {
  withUrl(url) {
    this.url = url;
    return this;
  }

  withAutomaticReconnect() {
    return this;
  }

  configureLogging() {
    return this;
  }

  build() {
    return new FakeConnection(this.url);
  }
}
