import { render } from 'preact';
import { RecordingsApp } from './RecordingsApp.jsx';

const app = document.getElementById('app');
app.textContent = '';
render(<RecordingsApp />, app);
