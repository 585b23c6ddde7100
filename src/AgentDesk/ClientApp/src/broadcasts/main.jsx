import { render } from 'preact';
import { BroadcastsApp } from './BroadcastsApp.jsx';

const app = document.getElementById('app');
app.textContent = '';
render(<BroadcastsApp />, app);
