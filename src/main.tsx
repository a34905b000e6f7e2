import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';
import { warmUpWorkers } from './state/workers';

warmUpWorkers();

createRoot(document.getElementById('root')!).render(<App />);
