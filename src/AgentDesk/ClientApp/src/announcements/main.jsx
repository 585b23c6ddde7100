import { render } from 'preact';
import { AnnouncementsApp } from './AnnouncementsApp.jsx';

const app = document.getElementById('app');
app.textContent = '';
render(<AnnouncementsApp />, app);
