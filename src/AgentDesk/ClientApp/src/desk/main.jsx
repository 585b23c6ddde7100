import { render } from 'preact';
import { DeskApp } from './DeskApp.jsx';

const app = document.getElementById('app');
app.textContent = '';
render(<DeskApp />, app);
