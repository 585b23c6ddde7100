import { render } from 'preact';
import { FaxesApp } from './FaxesApp.jsx';

const app = document.getElementById('app');
app.textContent = '';
render(<FaxesApp />, app);
