// The admin pages: agents and skills, disposition codes, the queues and tiers of the configuration
// (read-only), the client directory import from CSV, and client grading (figures feed, reviews).
import { useState } from 'preact/hooks';
import { Header } from '../common/Header.jsx';
import { t, useLang } from '../common/i18n.js';
import { AgentsAdmin } from './AgentsAdmin.jsx';
import { ClientImport } from './ClientImport.jsx';
import { ConfigTables } from './ConfigTables.jsx';
import { DispositionAdmin } from './DispositionAdmin.jsx';
import { Grading } from './Grading.jsx';

const tabs = [
  ['agents', 'adminAgents', AgentsAdmin],
  ['codes', 'dispositionCodes', DispositionAdmin],
  ['config', 'tiersConfig', ConfigTables],
  ['import', 'clientImport', ClientImport],
  ['grading', 'grading', Grading],
];

function initialTab() {
  const hash = location.hash.slice(1);
  return tabs.some(([id]) => id === hash) ? hash : 'agents';
}

export function AdminApp() {
  useLang();
  const [tab, setTab] = useState(initialTab);
  const choose = (id) => {
    setTab(id);
    history.replaceState(null, '', '#' + id);
  };
  const Current = tabs.find(([id]) => id === tab)[2];
  return (
    <>
      <Header page="admin" />
      <main class="admin">
        <nav class="tabs" role="tablist">
          {tabs.map(([id, label]) => (
            <button type="button" role="tab" aria-selected={tab === id} class={tab === id ? 'tab on' : 'tab'} data-testid={`tab-${id}`} onClick={() => choose(id)}>
              {id === 'config' ? `${t('queuesConfig')} · ${t(label)}` : t(label)}
            </button>
          ))}
        </nav>
        <Current />
      </main>
    </>
  );
}
