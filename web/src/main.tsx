import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import './lib/i18n';
import { queryClient } from './lib/queries';
import { router } from './routes';
import { ConfirmProvider } from './ui/confirm';
import { AriaLocale } from './ui/date-field';
import { Toasts } from './ui/toasts';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AriaLocale>
        <ConfirmProvider>
          <RouterProvider router={router} />
        </ConfirmProvider>
        <Toasts />
      </AriaLocale>
    </QueryClientProvider>
  </StrictMode>,
);
