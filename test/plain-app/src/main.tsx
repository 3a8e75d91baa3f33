import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@bulletproof/react/styles.css';
import './index.css';
import { App } from './App.js';

// As the create-vite React template ships it: StrictMode on.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
