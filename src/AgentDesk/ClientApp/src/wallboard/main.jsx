import { render } from 'preact';
import { WallboardApp } from './WallboardApp.jsx';

const app = document.getElementById('app');
app.textContent = '';
render(<WallboardApp />, app);
