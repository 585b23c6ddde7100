import { render } from 'preact';
import { AdminApp } from './AdminApp.jsx';

const app = document.getElementById('app');
app.textContent = '';
render(<AdminApp />, app);
